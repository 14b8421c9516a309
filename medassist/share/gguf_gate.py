"""The GGUF export's quality gate: is each GGUF file the model the adapter is?

On the eval rows, for the adapter on its base (as evaluated: 4-bit NF4 when it was trained so), the
merged Hugging Face model and each GGUF file (run by llama.cpp), with the decoding the adapter
records:

* answer NLL: mean negative log-likelihood per reference-answer token (teacher forcing, the same
  token ids for every model);
* EOS rate: the share of greedy answers that end with the end-of-turn token;
* greedy agreement with the adapter: the share of identical answers, the mean number of tokens
  until the first difference, and the share of the adapter's answer tokens reproduced before it;
* for the GGUF files: the prompt token ids that the file's own chat template (its metadata,
  rendered by llama-cpp-python's Jinja formatter) and tokenizer give, against medassist's; and
  the answers under the Ollama Modelfile's decoding (llama.cpp's own sampler): loops and EOS rate.

The tolerances (docs/serving.md): the f16 file must
reproduce the merged model's greedy tokens (>= 90% of them before the first difference) and its NLL
(within 0.02 nats a token); a quantized file's NLL may exceed the f16 file's by at most
NLL_TOLERANCE[quant]; every file must render the prompt to medassist's exact ids.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from medassist.core import MedassistError

MIN_F16_AGREEMENT = 0.90  # of the merged model's greedy tokens, before the first difference
MAX_F16_NLL_GAP = 0.02  # nats per answer token, |f16 - merged|
# About 3-4x the gaps of the SmolLM2-135M base itself on the smoke eval rows (Q8_0 +0.010, Q4_K_M
# +0.12 nats a token): a normal file passes, a broken one (gaps of whole nats) fails. The first
# tolerances (0.02 for Q8_0, from llama.cpp's 7B figures) failed a normal Q8_0 file of a 135M model.
NLL_TOLERANCE = {"q8_0": 0.04, "q6_k": 0.08, "q5_k_m": 0.15, "q4_k_m": 0.30, "q4_0": 0.40}


@dataclass
class Answers:
    ids: list[tuple[int, ...]]  # the answer's tokens, EOS excluded
    ended: list[bool]
    texts: list[str]


def agreement(answers: Answers, reference: Answers) -> dict:
    """Greedy agreement of ``answers`` with ``reference``, answer by answer."""
    prefixes, identical, total = [], 0, 0
    for a, a_end, r, r_end in zip(answers.ids, answers.ended, reference.ids, reference.ended):
        common = 0
        for x, y in zip(a, r):
            if x != y:
                break
            common += 1
        same = a == r and a_end == r_end
        identical += same
        prefixes.append(len(r) + 1 if same else common)  # a full match counts the EOS too
        total += len(r) + 1
    n = max(1, len(prefixes))
    return {
        "identical_answers": identical / n,
        "tokens_to_first_difference": sum(prefixes) / n,
        "token_agreement": sum(prefixes) / max(1, total),
    }


def summarize(answers: Answers, nll: float, reference: Answers | None) -> dict:
    from medassist.evaluation.degeneration import summary

    loops = summary(answers.texts)
    out = {
        "answer_nll": round(nll, 4),
        "eos_rate": round(sum(answers.ended) / max(1, len(answers.ended)), 4),
        "loops": loops["loops"],
        "mean_answer_tokens": round(sum(map(len, answers.ids)) / max(1, len(answers.ids)), 1),
    }
    if reference is not None:
        out.update({k: round(v, 4) for k, v in agreement(answers, reference).items()})
    return out


def hf_answers(model, tokenizer, prompts, max_new_tokens, decoding, batch_size) -> Answers:
    from medassist.model.generation import generate

    out = generate(model, tokenizer, prompts, max_new_tokens, batch_size, "gate", False, decoding)
    return Answers([g.ids for g in out], [g.ended_with_eos for g in out], [g.text for g in out])


def hf_nll(model, examples, pad_id, batch_size) -> float:
    from medassist.model.generation import answer_nll

    return answer_nll(model, examples, pad_id, batch_size, progress=False)[0]


def gguf_prompt_ids(llm, question: str) -> list[int]:
    """The prompt as llama.cpp gives it: the file's own chat template and tokenizer, BOS per its metadata."""
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    meta = llm.metadata
    template = meta.get("tokenizer.chat_template")
    if not template:
        raise MedassistError("the GGUF file has no tokenizer.chat_template")
    eos, bos = llm.token_eos(), llm.token_bos()
    formatter = Jinja2ChatFormatter(
        template=template,
        eos_token=llm._model.token_get_text(eos) if eos >= 0 else "",
        bos_token=llm._model.token_get_text(bos) if bos >= 0 else "",
    )
    result = formatter(messages=[{"role": "user", "content": question}])
    # As llama.cpp's server and Ollama do: BOS when the file's metadata asks for it. (llama-cpp-python's
    # own chat handler never adds it for a Jinja template: its formatter reports added_special=True.)
    text = result.prompt
    if llm._model.add_bos_token() and bos >= 0 and text.startswith(llm._model.token_get_text(bos)):
        text = text[len(llm._model.token_get_text(bos)) :]
    return llm.tokenize(text.encode("utf-8"), add_bos=llm._model.add_bos_token(), special=True)


def gguf_answers(llm, prompts, max_new_tokens, decoding, eos_id, native_penalty=None) -> Answers:
    from medassist.model.llamacpp import decode, native_decode

    ids, ended, texts = [], [], []
    for prompt in prompts:
        if native_penalty is None:
            tokens = list(
                decode(
                    llm,
                    prompt,
                    temperature=0.0,
                    max_new_tokens=max_new_tokens,
                    decoding=decoding,
                    stop_ids={eos_id},
                )
            )
        else:
            tokens = list(
                native_decode(llm, prompt, max_new_tokens=max_new_tokens, repeat_penalty=native_penalty)
            )
        end = bool(tokens) and tokens[-1] == eos_id
        tokens = tokens[:-1] if end else tokens
        ids.append(tuple(tokens))
        ended.append(end)
        texts.append(llm.detokenize(tokens).decode("utf-8", errors="replace").strip())
    return Answers(ids, ended, texts)


def run_gate(
    adapter_dir: Path,
    meta: dict,
    merged_dir: Path,
    ggufs: dict[str, Path],
    rows: list[dict],
    max_new_tokens: int,
    max_length: int,
    ollama_repeat_penalty: float,
    batch_size: int = 32,
) -> dict:
    """Every model's figures, each file's checks, and whether the gate passed (``failures`` empty)."""
    import torch

    from medassist.model.chat import encode_example, encode_prompt
    from medassist.model.decoding import Decoding
    from medassist.model.llamacpp import answer_nll_per_example, open_model
    from medassist.model.loading import load_base, load_finetuned, load_tokenizer

    decoding = Decoding.from_mapping(meta.get("decoding"))
    tokenizer = load_tokenizer(str(merged_dir))
    questions = [r["question"] for r in rows]
    prompts = [encode_prompt(tokenizer, q) for q in questions]
    examples = [encode_example(tokenizer, r["question"], r["answer"], max_length) for r in rows]
    pad = tokenizer.pad_token_id
    say = lambda text: print(f"gate: {text}", file=sys.stderr)  # noqa: E731

    say(f"{len(rows)} eval rows: the adapter on {meta['base_model']} ({meta.get('quantization')}) ...")
    model, _ = load_finetuned(
        adapter_dir, base=meta["base_model"], quantization=meta.get("quantization", "nf4")
    )
    reference = hf_answers(model, tokenizer, prompts, max_new_tokens, decoding, batch_size)
    report = {"adapter": summarize(reference, hf_nll(model, examples, pad, batch_size), None)}
    del model

    say("the merged model (float32 compute) ...")
    merged = load_base(str(merged_dir), "none", dtype=torch.float32)
    merged_answers = hf_answers(merged, tokenizer, prompts, max_new_tokens, decoding, batch_size)
    report["merged"] = summarize(merged_answers, hf_nll(merged, examples, pad, batch_size), reference)
    del merged

    failures = []
    for name, path in ggufs.items():
        say(f"{path.name} (llama.cpp) ...")
        llm = open_model(path)
        mismatched = sum(gguf_prompt_ids(llm, q) != p for q, p in zip(questions, prompts))
        eos_id = llm.token_eos()
        answers = gguf_answers(llm, prompts, max_new_tokens, decoding, eos_id)
        native = gguf_answers(llm, prompts, max_new_tokens, decoding, eos_id, ollama_repeat_penalty)
        llm.close()
        per_example = answer_nll_per_example(path, examples)
        nll = sum(s for s, _ in per_example) / max(1, sum(n for _, n in per_example))
        figures = summarize(answers, nll, reference)
        figures["vs_merged"] = {k: round(v, 4) for k, v in agreement(answers, merged_answers).items()}
        figures["prompt_ids_mismatched"] = mismatched
        figures["eos_token_id"] = eos_id
        figures["modelfile_decoding"] = {
            "repeat_penalty": ollama_repeat_penalty,
            "eos_rate": round(sum(native.ended) / max(1, len(native.ended)), 4),
            "loops": summarize(native, nll, None)["loops"],
        }
        figures["size_mb"] = round(path.stat().st_size / 2**20, 1)
        report[name] = figures
        if mismatched:
            failures.append(
                f"{path.name}: its chat template and tokenizer give other prompt ids on {mismatched} rows"
            )
        if eos_id != tokenizer.eos_token_id:
            failures.append(
                f"{path.name}: EOS id {eos_id}, the tokenizer's end of turn is {tokenizer.eos_token_id}"
            )
    if "f16" in report:
        f16, gap = report["f16"], abs(report["f16"]["answer_nll"] - report["merged"]["answer_nll"])
        if f16["vs_merged"]["token_agreement"] < MIN_F16_AGREEMENT:
            failures.append(
                f"f16 reproduces {f16['vs_merged']['token_agreement']:.0%} of the merged model's greedy tokens "
                f"(< {MIN_F16_AGREEMENT:.0%})"
            )
        if gap > MAX_F16_NLL_GAP:
            failures.append(
                f"f16 answer NLL differs from the merged model's by {gap:.3f} (> {MAX_F16_NLL_GAP})"
            )
        for name in ggufs:
            if name != "f16":
                report[name]["nll_gap_vs_f16"] = round(report[name]["answer_nll"] - f16["answer_nll"], 4)
                if report[name]["nll_gap_vs_f16"] > NLL_TOLERANCE[name]:
                    failures.append(
                        f"{name}: answer NLL {report[name]['nll_gap_vs_f16']:+.3f} over f16 (tolerance "
                        f"{NLL_TOLERANCE[name]})"
                    )
    return {
        "rows": len(rows),
        "max_new_tokens": max_new_tokens,
        "decoding": decoding.to_dict(),
        "tolerances": {
            "f16_token_agreement_min": MIN_F16_AGREEMENT,
            "f16_nll_gap_max": MAX_F16_NLL_GAP,
            "nll_gap_vs_f16_max": {k: NLL_TOLERANCE[k] for k in ggufs if k != "f16"},
        },
        "models": report,
        "failures": failures,
        "passed": not failures,
    }
