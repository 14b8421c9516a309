"""medassist.attention: a padding-free row is attended one example at a time, exactly as SDPA with
the block-diagonal mask would, and everything else is plain SDPA."""

import pytest
import torch
from transformers import AutoModelForCausalLM

import medassist.attention as attention
from conftest import TINY
from medassist.chat import encode_example, encode_prompt
from medassist.generation import generate
from medassist.modeling import load_base, load_tokenizer

ROWS = [
    ("What is the first-line treatment of anaphylaxis?", "Intramuscular adrenaline 0.5 mg into the thigh."),
    ("Which nerve is damaged in wrist drop?", "The radial nerve."),
    ("Name a loop diuretic.", "Furosemide, which acts on the thick ascending limb of the loop of Henle."),
]


@pytest.fixture(scope="module")
def tok():
    return load_tokenizer(str(TINY))


def flattened(tok):
    examples = [encode_example(tok, q, a, 256)["input_ids"] for q, a in ROWS]
    ids = torch.tensor([sum(examples, [])])
    position_ids = torch.tensor([[p for ex in examples for p in range(len(ex))]])
    return examples, ids, position_ids


def plain_sdpa():
    model = AutoModelForCausalLM.from_pretrained(str(TINY), dtype=torch.float32, attn_implementation="sdpa")
    return model.eval()


def test_example_bounds_follow_restarting_positions():
    assert attention.example_bounds(torch.tensor([[0, 1, 2, 0, 1, 0, 1, 2, 3]])) == [0, 3, 5, 9]
    assert attention.example_bounds(torch.tensor([[0, 1, 2, 3]])) == [0, 4]


def test_packed_row_matches_block_masked_sdpa_and_each_example_alone(tok, monkeypatch):
    model = load_base(str(TINY), "none")
    assert model.config._attn_implementation == attention.NAME
    reference = plain_sdpa()
    examples, ids, position_ids = flattened(tok)

    calls = []
    real = attention.sdpa_attention_forward
    monkeypatch.setattr(attention, "sdpa_attention_forward",
                        lambda m, q, k, v, mask, **kw: calls.append((q.shape[2], mask, kw.get("is_causal"))) or real(m, q, k, v, mask, **kw))

    embeds = model.get_input_embeddings()(ids).detach().requires_grad_()
    packed = model(inputs_embeds=embeds, position_ids=position_ids, use_cache=False).logits
    lengths = [len(ex) for ex in examples]
    n_layers = model.config.num_hidden_layers
    assert calls == [(n, None, True) for n in lengths] * n_layers, "not one causal SDPA call per example"

    ref_embeds = embeds.detach().clone().requires_grad_()
    masked = reference(inputs_embeds=ref_embeds, position_ids=position_ids, use_cache=False).logits
    torch.testing.assert_close(packed, masked, atol=1e-5, rtol=1e-5)
    target = ids[0, 1:]
    for logits in (packed, masked):
        torch.nn.functional.cross_entropy(logits[0, :-1], target).backward()
    torch.testing.assert_close(embeds.grad, ref_embeds.grad, atol=1e-6, rtol=1e-4)  # the backward too

    start = 0
    with torch.no_grad():
        for ex in examples:
            alone = model(input_ids=torch.tensor([ex]), use_cache=False).logits[0]
            torch.testing.assert_close(packed[0, start:start + len(ex)].detach(), alone, atol=1e-5, rtol=1e-5)
            start += len(ex)


def test_generation_is_plain_sdpa(tok):
    """Left-padded batches and the KV cache take transformers' own SDPA path: same greedy answers."""
    prompts = [encode_prompt(tok, q) for q, _ in ROWS]
    ours = generate(load_base(str(TINY), "none"), tok, prompts, max_new_tokens=12, batch_size=3, progress=False)
    assert ours == generate(plain_sdpa(), tok, prompts, max_new_tokens=12, batch_size=3, progress=False)
