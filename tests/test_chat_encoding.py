"""The answer's token ids are the rendered chat's ids after the prompt (DESIGN section 4, item 9).

A Llama SentencePiece tokenizer (TinyLlama's) puts a word boundary "▁" at the start of any input:
the answer tokenized on its own starts with "▁The" where the chat, after the prompt's "\\n", has
"The". The tiny fixture and SmolLM2 are byte-level BPE and cannot show it, so a Llama-style
tokenizer (Metaspace, prepend_scheme "first", as the legacy Llama tokenizer) is built here.
"""

import json

import pytest
from conftest import ROOT, SMOLLM2, TINY

from medassist.data.clean import clean_text
from medassist.model.chat import IGNORE_INDEX, encode_example, encode_prompt, messages
from medassist.model.loading import load_tokenizer


def sample_rows() -> list[tuple[str, str]]:
    lines = (ROOT / "data" / "sample" / "flashcards.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    pairs = [
        (clean_text(r["input"]), clean_text(r["output"]))
        for r in rows
        if isinstance(r.get("input"), str) and isinstance(r.get("output"), str)
    ]
    return [(q, a) for q, a in pairs if q and a]


@pytest.fixture(scope="module")
def sentencepiece_tokenizer(tmp_path_factory):
    """A small Llama-style tokenizer: BPE over Metaspace pieces, BOS added, TinyLlama's chat template."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="first")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="first")
    corpus = [f"<|user|>\n{q}\n<|assistant|>\n{a}\n" for q, a in sample_rows()]
    tok.train_from_iterator(
        corpus,
        trainers.BpeTrainer(vocab_size=600, special_tokens=["<unk>", "<s>", "</s>"], show_progress=False),
    )
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A", special_tokens=[("<s>", tok.token_to_id("<s>"))]
    )
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="</s>", unk_token="<unk>")
    fast.chat_template = (TINY / "chat_template.jinja").read_text(encoding="utf-8")
    path = tmp_path_factory.mktemp("sentencepiece-llama")
    fast.save_pretrained(path)
    return load_tokenizer(str(path))


def rendered_answer_ids(tokenizer, question: str, answer: str) -> list[int]:
    """The ids the full rendered conversation has after the generation prompt, up to its end-of-turn."""
    chat = messages(question) + [{"role": "assistant", "content": answer}]
    ids = tokenizer(tokenizer.apply_chat_template(chat, tokenize=False), add_special_tokens=True)["input_ids"]
    prompt_ids = encode_prompt(tokenizer, question)
    assert ids[: len(prompt_ids)] == prompt_ids
    after = ids[len(prompt_ids) :]
    return after[: after.index(tokenizer.eos_token_id) + 1]


def test_sentencepiece_answer_ids_are_the_rendered_chats(sentencepiece_tokenizer):
    tok = sentencepiece_tokenizer
    rows = sample_rows()
    for question, answer in rows:
        example = encode_example(tok, question, answer, 4096)
        answer_ids = [label for label in example["labels"] if label != IGNORE_INDEX]
        assert answer_ids == rendered_answer_ids(tok, question, answer)
        assert answer_ids[-1] == tok.eos_token_id
        assert example["input_ids"] == encode_prompt(tok, question) + answer_ids
    # the mistake this guards against is real with this tokenizer: alone, the answer starts with "▁"
    question, answer = next((q, a) for q, a in rows if a.startswith("The "))
    alone = tok(answer, add_special_tokens=False)["input_ids"]
    assert tok.convert_ids_to_tokens(alone[0]).startswith("▁")
    first = [
        label for label in encode_example(tok, question, answer, 4096)["labels"] if label != IGNORE_INDEX
    ][0]
    assert not tok.convert_ids_to_tokens(first).startswith("▁")


def test_truncation_keeps_the_start_and_drops_the_eos(sentencepiece_tokenizer):
    tok = sentencepiece_tokenizer
    question, answer = sample_rows()[0]
    full = encode_example(tok, question, answer, 4096)
    cut = encode_example(tok, question, answer, len(full["input_ids"]) - 3)
    assert cut["input_ids"] == full["input_ids"][:-3] and cut["labels"] == full["labels"][:-3]
    assert cut["labels"][-1] != tok.eos_token_id


@pytest.mark.parametrize("name", [str(TINY), SMOLLM2], ids=["tiny-fixture", "smollm2"])
def test_byte_level_tokenizers_encode_as_before(name):
    """Byte-level BPE has no word-boundary prefix: the answer alone and the answer after the prompt
    tokenize alike, so the offline profiles' encodings (and the smoke verdict) do not move."""
    tok = load_tokenizer(name)
    for question, answer in sample_rows():
        before = tok(answer, add_special_tokens=False)["input_ids"] + [tok.eos_token_id]
        example = encode_example(tok, question, answer, 4096)
        assert [label for label in example["labels"] if label != IGNORE_INDEX] == before
        assert rendered_answer_ids(tok, question, answer) == before
