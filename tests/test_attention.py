"""medassist.model.attention: a padding-free row is attended one example at a time, exactly as SDPA with
the block-diagonal mask would, and everything else is plain SDPA."""

import pytest
import torch
from conftest import TINY
from transformers import AutoModelForCausalLM

import medassist.model.attention as attention
from medassist.model.chat import encode_example, encode_prompt
from medassist.model.generation import generate
from medassist.model.loading import load_base, load_tokenizer

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
    monkeypatch.setattr(
        attention,
        "sdpa_attention_forward",
        lambda m, q, k, v, mask, **kw: (
            calls.append((q.shape[2], mask, kw.get("is_causal"))) or real(m, q, k, v, mask, **kw)
        ),
    )

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
            torch.testing.assert_close(
                packed[0, start : start + len(ex)].detach(), alone, atol=1e-5, rtol=1e-5
            )
            start += len(ex)


def test_generation_is_plain_sdpa(tok):
    """Left-padded batches and the KV cache take transformers' own SDPA path: same greedy answers."""
    prompts = [encode_prompt(tok, q) for q, _ in ROWS]
    ours = generate(
        load_base(str(TINY), "none"), tok, prompts, max_new_tokens=12, batch_size=3, progress=False
    )
    assert ours == generate(plain_sdpa(), tok, prompts, max_new_tokens=12, batch_size=3, progress=False)


# -- the varlen kernels (CUDA-only): their calls are checked here on the CPU against stand-ins
# that compute what the kernels document (causal attention within each cu_seqlens segment)


def segments_attention(q, k, v, cu, scale):
    """(n, heads, d) tensors; causal SDPA per segment, GQA by repeating key/value heads."""
    assert cu.dtype == torch.int32 and q.dtype in (torch.float16, torch.bfloat16)
    groups = q.shape[1] // k.shape[1]
    k, v = k.repeat_interleave(groups, dim=1), v.repeat_interleave(groups, dim=1)
    bounds = cu.tolist()
    out = [
        torch.nn.functional.scaled_dot_product_attention(
            *(t[a:b].transpose(0, 1).float() for t in (q, k, v)), is_causal=True, scale=scale
        ).transpose(0, 1)
        for a, b in zip(bounds, bounds[1:])
    ]
    return torch.cat(out).to(q.dtype)


def flash_attn_varlen_func(
    q, k, v, cu_q, cu_k, max_q, max_k, dropout_p=0.0, softmax_scale=None, causal=False
):
    assert (
        causal
        and dropout_p == 0.0
        and torch.equal(cu_q, cu_k)
        and max_q == max_k == int(torch.diff(cu_q).max())
    )
    return segments_attention(q, k, v, cu_q, softmax_scale)


def varlen_attn_2_13(
    query, key, value, cu_seq_q, cu_seq_k, max_q, max_k, *, scale=None, window_size=(-1, -1), enable_gqa=False
):
    assert window_size == (-1, 0) and (enable_gqa or key.shape[1] == query.shape[1])
    return segments_attention(query, key, value, cu_seq_q, scale)


def varlen_attn_2_10(query, key, value, cu_seq_q, cu_seq_k, max_q, max_k, *, is_causal=False, scale=None):
    assert is_causal and key.shape[1] == query.shape[1]  # no GQA argument: heads repeated by the caller
    return segments_attention(query, key, value, cu_seq_q, scale)


@pytest.mark.parametrize(
    "kind, kernel",
    [
        ("flash_attn", flash_attn_varlen_func),
        ("torch_varlen", varlen_attn_2_13),
        ("torch_varlen", varlen_attn_2_10),
    ],
)
def test_varlen_call_matches_per_example_sdpa(kind, kernel, monkeypatch):
    monkeypatch.setattr(attention, "_flash_attn_varlen", lambda: kernel)
    monkeypatch.setattr(attention, "_torch_varlen", lambda: kernel)
    module = torch.nn.Module()
    module.num_key_value_groups, module.scaling, module.is_causal = 2, 0.125, True
    torch.manual_seed(0)
    n, position_ids = 17, torch.tensor([[0, 1, 2, 3, 4, 0, 1, 2, 0, 1, 2, 3, 4, 5, 6, 7, 8]])
    query, key, value = torch.randn(1, 4, n, 64), torch.randn(1, 2, n, 64), torch.randn(1, 2, n, 64)
    bounds = attention.example_bounds(position_ids)

    out = attention._varlen_forward(kind, module, query, key, value, bounds, None)
    monkeypatch.setattr(attention, "preferred", "sdpa")
    expected, _ = attention.sdpa_packed_attention_forward(
        module, query, key, value, None, position_ids=position_ids
    )
    assert out.shape == expected.shape == (1, n, 4, 64) and out.dtype == query.dtype
    torch.testing.assert_close(out, expected, atol=2e-3, rtol=2e-3)  # the kernels run in fp16


def test_backend_is_the_fastest_available(monkeypatch):
    cpu, gpu = torch.device("cpu"), torch.device("cuda", 0)
    assert attention.available(cpu) == ["sdpa"] and attention.backend(cpu) == "sdpa"
    monkeypatch.setattr(attention, "_ampere_or_newer", lambda index: False)  # a T4
    assert attention.available(gpu) == ["sdpa_expanded", "sdpa"] and attention.backend(gpu) == "sdpa_expanded"
    monkeypatch.setattr(attention, "_ampere_or_newer", lambda index: True)
    monkeypatch.setattr(attention, "_flash_attn_varlen", lambda: None)
    monkeypatch.setattr(attention, "_torch_varlen", lambda: varlen_attn_2_13)
    assert attention.backend(gpu) == "torch_varlen"
    monkeypatch.setattr(attention, "_flash_attn_varlen", lambda: flash_attn_varlen_func)
    assert (
        attention.available(gpu) == ["flash_attn", "torch_varlen", "sdpa"]
        and attention.backend(gpu) == "flash_attn"
    )
    monkeypatch.setattr(attention, "preferred", "sdpa")
    assert attention.backend(gpu) == "sdpa"
    monkeypatch.setattr(attention, "preferred", "flash_attn")
    with pytest.raises(RuntimeError, match="not available"):
        attention.backend(cpu)


def test_this_machine_has_no_flash_attn_and_falls_back():
    """Where flash-attn is not installed the import fails quietly and the CPU takes per-example SDPA."""
    try:
        import flash_attn  # noqa: F401
    except ImportError:
        assert attention._flash_attn_varlen() is None
    assert attention.backend(torch.device("cpu")) == "sdpa"


def test_sdpa_expanded_matches_per_example_sdpa(tok, monkeypatch):
    """The T4 kernel choice (K/V heads expanded, so SDPA's memory-efficient kernel qualifies) computes
    what per-example SDPA computes: logits and gradients. Here on the CPU; on a GPU
    benchmarks/gpu/check_attention.py checks it in fp16 and times it."""
    model = load_base(str(TINY), "none")
    assert model.config.num_attention_heads > model.config.num_key_value_heads  # grouped-query, as TinyLlama
    _, ids, position_ids = flattened(tok)

    def run(kind):
        monkeypatch.setattr(attention, "available", lambda device: [kind, "sdpa"])
        monkeypatch.setattr(attention, "preferred", kind)
        attention.used.clear()
        embeds = model.get_input_embeddings()(ids).detach().requires_grad_()
        logits = model(inputs_embeds=embeds, position_ids=position_ids, use_cache=False).logits
        torch.nn.functional.cross_entropy(logits[0, :-1], ids[0, 1:]).backward()
        assert attention.used == {kind}
        return logits.detach(), embeds.grad

    logits, grad = run("sdpa_expanded")
    ref_logits, ref_grad = run("sdpa")
    torch.testing.assert_close(logits, ref_logits, atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(grad, ref_grad, atol=1e-6, rtol=1e-4)
