"""Decoding settings: one builder, applied alike in batched eval and in streaming; OpenAI's penalties."""

import pytest
import torch
from conftest import TINY

from medassist.model.chat import encode_prompt
from medassist.model.decoding import PLAIN, Decoding, generation_config
from medassist.model.generation import OpenAIPenalties, generate
from medassist.model.streaming import stream_generate

QUESTIONS = [
    "What is hypertension?",
    "What are the symptoms of diabetes?",
    "How is pneumonia treated in an adult with no other illness?",
    "What causes asthma?",
]


@pytest.fixture(scope="module")
def tiny():
    """The tiny fixture's tokenizer and shape with random weights: a model that rambles and loops
    (the trained fixture stops after a token or two, which tests nothing here)."""
    from transformers import AutoConfig, AutoModelForCausalLM

    from medassist.model.loading import load_tokenizer

    torch.manual_seed(0)
    model = AutoModelForCausalLM.from_config(AutoConfig.from_pretrained(TINY)).eval()
    return load_tokenizer(str(TINY)), model


def test_settings_round_trip_and_reach_the_generation_config(tiny):
    tokenizer, _ = tiny
    decoding = Decoding.from_mapping({"repetition_penalty": "1.2", "no_repeat_ngram_size": 4})
    assert decoding == Decoding(1.2, 4) and Decoding.from_mapping(decoding.to_dict()) == decoding
    assert Decoding.from_mapping(None) == PLAIN  # an adapter trained before the record: plain
    config = generation_config(tokenizer, 0.0, 32, decoding)
    assert config.repetition_penalty == 1.2 and config.no_repeat_ngram_size == 4 and not config.do_sample
    plain = generation_config(tokenizer, 0.0, 32)
    assert plain.repetition_penalty in (None, 1.0) and not plain.no_repeat_ngram_size
    assert decoding.describe() == "repetition_penalty 1.2, no_repeat_ngram_size 4"
    assert PLAIN.describe() == "no repetition penalty"


def token_ids_of_answers(model, tokenizer, prompts, decoding, batch_size):
    """The generated ids, through generate()'s own config (what eval runs)."""
    from medassist.model.generation import left_pad

    ids, mask = left_pad(prompts, tokenizer.pad_token_id)
    out = model.generate(
        input_ids=ids, attention_mask=mask, generation_config=generation_config(tokenizer, 0.0, 40, decoding)
    )
    return [row[ids.shape[1] :].tolist() for row in out]


def test_no_repeat_ngram_size_removes_repeated_ngrams_from_answers(tiny):
    tokenizer, model = tiny
    prompts = [encode_prompt(tokenizer, q) for q in QUESTIONS]

    def repeats(row, n=3):
        row = row[: row.index(tokenizer.eos_token_id)] if tokenizer.eos_token_id in row else row
        grams = [tuple(row[i : i + n]) for i in range(len(row) - n + 1)]
        return len(grams) - len(set(grams))

    plain = token_ids_of_answers(model, tokenizer, prompts, PLAIN, 4)
    assert sum(map(repeats, plain)) > 0  # the random tiny model loops when decoded greedily
    banned = token_ids_of_answers(model, tokenizer, prompts, Decoding(no_repeat_ngram_size=3), 4)
    assert sum(map(repeats, banned)) == 0


@pytest.mark.parametrize("decoding", [Decoding(no_repeat_ngram_size=3), Decoding(repetition_penalty=1.3)])
def test_batched_eval_and_streaming_agree_under_each_setting(tiny, decoding):
    """Eval's batched, left-padded answers equal one-at-a-time answers, and those equal the demo's
    streamed answers: the pad tokens in a batch's history change nothing the settings do."""
    tokenizer, model = tiny
    prompts = [encode_prompt(tokenizer, q) for q in QUESTIONS]
    assert len({len(p) for p in prompts}) > 2  # the batch really is left-padded
    run = lambda size, d: generate(model, tokenizer, prompts, 24, batch_size=size, progress=False, decoding=d)  # noqa: E731
    batched, alone = run(4, decoding), run(1, decoding)
    assert alone != run(1, PLAIN)  # the setting changes what the model says
    # A random model's logits are nearly flat, so padding's float noise alone can flip a greedy
    # choice; compare where plain decoding is unmoved by padding (all but one prompt here).
    steady = [a == b for a, b in zip(run(4, PLAIN), run(1, PLAIN))]
    assert sum(steady) >= 3
    assert [b for b, ok in zip(batched, steady) if ok] == [a for a, ok in zip(alone, steady) if ok]
    for prompt, answer in zip(prompts, alone):
        *_, streamed = stream_generate(
            model, tokenizer, prompt, temperature=0, max_new_tokens=24, decoding=decoding
        )
        assert streamed.strip() == answer.text


def test_openai_penalties_follow_openais_formula():
    scores = torch.zeros(2, 6)
    ids = torch.tensor([[5, 1, 2, 2, 2, 3], [5, 5, 4, 4, 0, 0]])  # 2 prompt tokens, then the answer
    out = OpenAIPenalties(prompt_length=2, frequency_penalty=0.5, presence_penalty=0.25)(ids, scores)
    expected = torch.zeros(2, 6)
    expected[0, 2] = -(3 * 0.5 + 0.25)  # token 2: three times in the answer
    expected[0, 3] = -(0.5 + 0.25)
    expected[1, 4] = -(2 * 0.5 + 0.25)
    expected[1, 0] = -(2 * 0.5 + 0.25)
    assert torch.equal(out, expected)  # prompt tokens (1, 5) are not penalised
    untouched = OpenAIPenalties(prompt_length=6, frequency_penalty=2.0, presence_penalty=2.0)(ids, scores)
    assert torch.equal(untouched, scores)  # nothing generated yet


def test_penalties_change_the_streamed_answer(tiny):
    tokenizer, model = tiny
    prompt = encode_prompt(tokenizer, QUESTIONS[0])
    *_, plain = stream_generate(model, tokenizer, prompt, temperature=0, max_new_tokens=24)
    *_, penalised = stream_generate(
        model, tokenizer, prompt, temperature=0, max_new_tokens=24, frequency_penalty=2.0
    )
    assert plain != penalised
