"""The one chat format. Train, eval and the demo all build their token ids here.

A prompt is the tokenizer's own chat template (TinyLlama-1.1B-Chat's Zephyr-style one, SmolLM2's
ChatML, ...) rendered with the generation prompt, tokenised with the tokenizer's special tokens
(BOS where the tokenizer adds one). A training example appends the answer and the template's
end-of-turn token (`</s>` for TinyLlama, `<|im_end|>` for ChatML), and masks every prompt token's
label. medassist.model.loading.load_tokenizer makes that end-of-turn token the tokenizer's EOS, so
training learns to stop exactly where generation stops.
"""

from __future__ import annotations

from collections.abc import Sequence

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

    An example longer than max_length keeps its start (the answer is cut, and so is its EOS:
    the model is never taught to stop in the middle of an answer)."""
    prompt_ids = encode_prompt(tokenizer, question)
    answer_ids = tokenizer(answer, add_special_tokens=False)["input_ids"] + [tokenizer.eos_token_id]
    input_ids = (prompt_ids + answer_ids)[:max_length]
    labels = ([IGNORE_INDEX] * len(prompt_ids) + answer_ids)[:max_length]
    return {"input_ids": input_ids, "labels": labels}
