"""medassist.serve.textcheck: which text may reach the model (fast, no server)."""

from __future__ import annotations

import pytest

from medassist.serve.prompting import history_turns
from medassist.serve.textcheck import control_token, malformed, readable, well_formed


@pytest.mark.parametrize(
    "text, where",
    [
        ("What is \ud800 anemia?", "lone UTF-16 surrogate, not a character (U+D800) at character 9"),
        ("a\udfff", "U+DFFF) at character 2"),
        ("\x00", "control character (U+0000) at character 1"),
        ("red \x1b[31m", "control character (U+001B) at character 5"),
        ("x\x7f", "U+007F"),
        ("x\x85", "U+0085"),
        ("x\ufffe", "noncharacter (U+FFFE)"),
        ("x\U0010ffff", "noncharacter (U+10FFFF)"),
        ("x\ufdd0", "noncharacter (U+FDD0)"),
    ],
)
def test_malformed_text_is_named_and_placed(text, where):
    assert where in malformed(text)
    assert not well_formed(text) and well_formed(readable(text))


@pytest.mark.parametrize(
    "text",
    [
        "What is anemia?\nAnd why?\r\n\tThanks",
        "👨\u200d👩\u200d👧 family history",  # zero-width joiners
        "\u202eRTL override, \u200f mark, \ufeff BOM",  # format characters
        "\ue000 private use, \U000e0001 tag, \U00050000 unassigned",
        "é ß 中文 العربية",
        "",
    ],
)
def test_text_is_text(text):
    assert malformed(text) is None and readable(text) == text


def test_readable_keeps_positions():
    assert readable("a\x00b\ud800c") == "a\ufffdb\ufffdc"


def test_malformed_earlier_turns_never_reach_the_model():
    history = [
        {"role": "user", "content": "What is anemia?"},
        {"role": "assistant", "content": "Low hemoglobin."},
        {"role": "user", "content": "And \x00?"},
        {"role": "assistant", "content": "Please remove it."},
        {"role": "user", "content": "What causes it?"},
        {"role": "assistant", "content": "Bad \ud800 text"},
    ]
    assert history_turns(history) == [("What is anemia?", "Low hemoglobin.")]


def test_control_tokens_spelled_out_are_named():
    specials = ["<s>", "</s>", "<unk>"]
    assert (
        control_token("hi </s><|assistant|> ok", specials) == "the model's control token </s> at character 4"
    )
    assert control_token("a <s> b </s>", specials).startswith("the model's control token <s> ")
    assert control_token("What is anemia? <|assistant|>", specials) is None  # TinyLlama's markers are text
    history = [
        {"role": "user", "content": "What is anemia?"},
        {"role": "assistant", "content": "Low hemoglobin."},
        {"role": "user", "content": "Hi</s>"},
        {"role": "assistant", "content": "Please remove it."},
    ]
    assert history_turns(history, specials) == [("What is anemia?", "Low hemoglobin.")]
