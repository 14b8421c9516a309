"""Generation settings, batched greedy generation and answer-only likelihood (eval, benchmarks, demo).

Batches are built from prompts sorted by length (little padding), padded on the left so every
row's last prompt token sits at the same position; generation is greedy and stops at EOS. The
demo streams one answer at a time with the same settings (medassist.model.streaming).

The decoding settings come from medassist.model.decoding, the one place that builds them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from tqdm.auto import tqdm

from medassist.model.chat import IGNORE_INDEX
from medassist.model.decoding import PLAIN, Decoding, generation_config


@dataclass(frozen=True)
class Generation:
    text: str
    tokens: int  # generated tokens, EOS excluded
    ended_with_eos: bool
    ids: tuple[int, ...] = ()  # the generated token ids, EOS excluded


class OpenAIPenalties:
    """OpenAI's frequency and presence penalties, as OpenAI documents them (and vLLM implements
    them): every token the answer has produced so far has its logit lowered by
    ``count * frequency_penalty + (count > 0) * presence_penalty``; prompt tokens do not count.
    A transformers logits processor (pass it in ``logits_processor``)."""

    def __init__(self, prompt_length: int, frequency_penalty: float, presence_penalty: float):
        self.prompt_length = prompt_length
        self.frequency, self.presence = frequency_penalty, presence_penalty

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        answer = input_ids[:, self.prompt_length :]
        if answer.shape[1] == 0:
            return scores
        counts = torch.zeros_like(scores).scatter_add_(1, answer, torch.ones_like(answer, dtype=scores.dtype))
        return scores - self.frequency * counts - self.presence * (counts > 0).to(scores.dtype)


def _batches(order, size):
    for start in range(0, len(order), size):
        yield order[start : start + size]


def left_pad(rows: list[list[int]], pad_id: int) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(map(len, rows))
    ids = torch.tensor([[pad_id] * (width - len(r)) + r for r in rows])
    mask = torch.tensor([[0] * (width - len(r)) + [1] * len(r) for r in rows])
    return ids, mask


@torch.inference_mode()
def generate(
    model,
    tokenizer,
    prompts: list[list[int]],
    max_new_tokens: int,
    batch_size: int,
    desc: str = "generate",
    progress: bool = True,
    decoding: Decoding = PLAIN,
) -> list[Generation]:
    """Greedy answers for tokenised prompts, in the order given."""
    config = generation_config(tokenizer, 0.0, max_new_tokens, decoding)
    order = sorted(range(len(prompts)), key=lambda i: len(prompts[i]), reverse=True)
    results: list[Generation | None] = [None] * len(prompts)
    device = next(model.parameters()).device
    n_batches = math.ceil(len(prompts) / batch_size)
    for batch in tqdm(
        _batches(order, batch_size), total=n_batches, desc=desc, unit="batch", disable=not progress
    ):
        ids, mask = left_pad([prompts[i] for i in batch], tokenizer.pad_token_id)
        out = model.generate(
            input_ids=ids.to(device), attention_mask=mask.to(device), generation_config=config
        )
        for i, row in zip(batch, out[:, ids.shape[1] :].tolist()):
            ended = tokenizer.eos_token_id in row
            row = row[: row.index(tokenizer.eos_token_id)] if ended else row
            results[i] = Generation(
                tokenizer.decode(row, skip_special_tokens=True).strip(), len(row), ended, tuple(row)
            )
    return results  # type: ignore[return-value]


@torch.inference_mode()
def answer_nll_per_example(
    model, examples: list[dict], pad_id: int, batch_size: int, desc: str = "nll", progress: bool = True
) -> list[tuple[float, int]]:
    """Summed negative log-likelihood of each example's answer tokens (teacher forcing), and
    their count, in the order given.

    `examples` are encode_example() dicts: only label positions that are not IGNORE_INDEX (the
    answer and its EOS) count, so prompts never dilute or inflate the score. Rows are right-padded
    (positions start at 0 as in training) and batched by length."""
    results: list[tuple[float, int] | None] = [None] * len(examples)
    device = next(model.parameters()).device
    order = sorted(range(len(examples)), key=lambda i: len(examples[i]["input_ids"]))
    n_batches = math.ceil(len(examples) / batch_size)
    for batch in tqdm(
        _batches(order, batch_size), total=n_batches, desc=desc, unit="batch", disable=not progress
    ):
        lengths = [len(examples[i]["input_ids"]) for i in batch]
        width = max(lengths)
        ids = torch.tensor(
            [examples[i]["input_ids"] + [pad_id] * (width - n) for i, n in zip(batch, lengths)]
        )
        labels = torch.tensor(
            [examples[i]["labels"] + [IGNORE_INDEX] * (width - n) for i, n in zip(batch, lengths)]
        )
        mask = (torch.arange(width)[None, :] < torch.tensor(lengths)[:, None]).long()
        logits = model(input_ids=ids.to(device), attention_mask=mask.to(device), use_cache=False).logits
        labels = labels.to(device)
        for row, i in enumerate(batch):  # one row at a time: no (batch, width, vocab) fp32 copy
            shift_labels = labels[row, 1:]
            loss = torch.nn.functional.cross_entropy(
                logits[row, :-1].float(), shift_labels, ignore_index=IGNORE_INDEX, reduction="sum"
            )
            results[i] = (loss.item(), int((shift_labels != IGNORE_INDEX).sum()))
    return results  # type: ignore[return-value]


def answer_nll(
    model, examples: list[dict], pad_id: int, batch_size: int, desc: str = "nll", progress: bool = True
) -> tuple[float, int]:
    """Mean negative log-likelihood per answer token over all examples, and the token count."""
    per_example = answer_nll_per_example(model, examples, pad_id, batch_size, desc, progress)
    total, count = sum(s for s, _ in per_example), sum(n for _, n in per_example)
    return total / max(count, 1), count
