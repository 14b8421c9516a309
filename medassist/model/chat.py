"""The one chat format. Train, eval and the demo all build their token ids here.

A prompt is the tokenizer's own chat template (TinyLlama-1.1B-Chat's Zephyr-style one, SmolLM2's
ChatML, ...) rendered with the generation prompt, tokenised with the tokenizer's special tokens
(BOS where the tokenizer adds one). A training example appends the answer and the template's
end-of-turn token (`</s>` for TinyLlama, `<|im_end|>` for ChatML), and masks every prompt token's
label. The answer's ids are those of the rendered chat after the prompt (never the answer tokenized
alone: see encode_example). medassist.model.loading.load_tokenizer makes that end-of-turn token the tokenizer's EOS, so
training learns to stop exactly where generation stops.
"""

from __future__ import annotations

from collections.abc import Sequence

from medassist.core import MedassistError

IGNORE_INDEX = -100

Turn = tuple[str, str]  # (user message, assistant reply)


def messages(question: str, history: Sequence[Turn] = ()) -> list[dict[str, str]]:
    out = []
    for user, assistant in history:
        out += [{"role": "user", "content": user}, {"role": "assistant", "content": assistant}]
    return out + [{"role": "user", "content": question}]


def end_of_turn(tokenizer) -> str:
    """The special token the chat template puts right after an assistant's answer."""
    marker = "MEDASSIST_ANSWER_END"
    turn = [{"role": "user", "content": "q"}, {"role": "assistant", "content": marker}]
    rendered = tokenizer.apply_chat_template(turn, tokenize=False)
    after = rendered[rendered.rindex(marker) + len(marker) :]
    for token in sorted(tokenizer.all_special_tokens, key=len, reverse=True):
        if token and after.startswith(token):
            return token
    raise ValueError(
        f"the chat template ends an assistant turn with {after[:20]!r}, not with a special token"
    )


def prompt_text(tokenizer, question: str, history: Sequence[Turn] = ()) -> str:
    return tokenizer.apply_chat_template(
        messages(question, history), tokenize=False, add_generation_prompt=True
    )


def encode_prompt(tokenizer, question: str, history: Sequence[Turn] = ()) -> list[int]:
    return tokenizer(prompt_text(tokenizer, question, history), add_special_tokens=True)["input_ids"]


def encode_example(tokenizer, question: str, answer: str, max_length: int) -> dict[str, list[int]]:
    """input_ids = prompt + answer + EOS; labels are IGNORE_INDEX on the prompt.

    The answer's ids are the ids the rendered chat has after the prompt: the prompt and the answer
    are tokenized together and the prompt's ids cut off. Tokenized on its own, the answer would get
    the word-boundary prefix a Llama SentencePiece tokenizer puts at the start of any input
    ("▁The" where the chat has "\nThe"): a token the chat format never has, trained and scored.

    An example longer than max_length keeps its start (the answer is cut, and so is its EOS:
    the model is never taught to stop in the middle of an answer)."""
    prompt = prompt_text(tokenizer, question)
    prompt_ids = tokenizer(prompt, add_special_tokens=True)["input_ids"]
    ids = tokenizer(prompt + answer, add_special_tokens=True)["input_ids"]
    if ids[: len(prompt_ids)] != prompt_ids:
        raise MedassistError(
            "this tokenizer merges the end of the chat prompt with the start of the answer; "
            f"the prompt's ids are not a prefix of the chat's (question {question[:60]!r})"
        )
    answer_ids = ids[len(prompt_ids) :] + [tokenizer.eos_token_id]
    input_ids = (prompt_ids + answer_ids)[:max_length]
    labels = ([IGNORE_INDEX] * len(prompt_ids) + answer_ids)[:max_length]
    return {"input_ids": input_ids, "labels": labels}
