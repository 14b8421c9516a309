"""`make gguf`: the fine-tune as GGUF files for llama.cpp, Ollama and LM Studio, checked against the adapter.

    python -m medassist.share.gguf_export [--adapter models/adapter] [--out models/gguf]
        [--quant q8_0 --quant q4_k_m] [--rows N] [--ollama-repeat-penalty 1.1]

1. The merged model: `make export`'s float16 directory (models/export), reused when it holds this
   adapter, made otherwise.
2. llama.cpp's own converter (convert_hf_to_gguf.py, medassist.share.gguf_tools) writes
   `medassist-f16.gguf`: the weights, the tokenizer, the chat template, BOS/EOS and the end-of-turn
   token in the metadata (checked after conversion).
3. llama.cpp's quantizer (`llama_model_quantize`, what `llama-quantize` runs) writes one file per
   --quant (default Q8_0 and Q4_K_M).
4. An Ollama `Modelfile` (the chat template as a Go template derived from the file's own, the stop
   token, greedy decoding and the portable repetition penalty), a model card (README.md) with the
   gate's figures, and `gate.json`.
5. The quality gate (medassist.share.gguf_gate) on the eval rows: answer NLL, EOS rate and greedy
   agreement with the adapter of every model; a file outside its tolerance fails the export.

Everything is written into a temporary directory next to --out and renamed into place only when the
gate passes: a failed conversion or gate leaves the previous GGUF export as it was. Bad input (no
adapter, an adapter that does not fit its base, an unknown quantization, no eval rows, the tools
missing) is refused in one line before any work.
"""

# ruff: noqa: E402  (OMP_WAIT_POLICY must be set before anything imports torch)
from __future__ import annotations

import os

# torch and llama.cpp each keep an OpenMP thread pool; with OpenMP's default busy-waiting, llama.cpp
# in a process that has loaded torch decodes at a few tokens a second. Set before either starts.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import json
import subprocess
import sys
from functools import partial
from pathlib import Path

from medassist.core import MedassistError, paths
from medassist.core.cli import parser
from medassist.core.io import atomic_dir, file_digest, read_jsonl
from medassist.model.adapter import read_adapter
from medassist.model.decoding import Decoding
from medassist.model.gguf import field_value, gguf_path
from medassist.serve.safety import DISCLAIMER
from medassist.serve.settings import DEFAULT_MAX_NEW_TOKENS
from medassist.share import gguf_tools
from medassist.share.export import merged_into

OUT = Path("models/gguf")
GATE = "gate.json"
MARKER = "medassist-gguf.json"
PREFIX = "medassist"
# llama.cpp's file types (llama_ftype), by the names llama-quantize and Ollama use
QUANTS = {"q8_0": 7, "q6_k": 18, "q5_k_m": 17, "q4_k_m": 15, "q4_0": 2}
DEFAULT_QUANTS = ("q8_0", "q4_k_m")
# Ollama and llama.cpp have no no_repeat_ngram_size: the Modelfile carries the portable setting that
# met the decoding rule on the dev slice (docs/pipeline.md#decoding: repetition_penalty 1.1, 0% loops,
# 96% end on their own), unless the adapter's own setting is portable already.
PORTABLE_REPEAT_PENALTY = 1.1


def gguf_name(kind: str) -> str:
    return f"{PREFIX}-{kind}.gguf"


def check_args(quants: list[str], out: Path, adapter_dir: Path, rows_file: Path) -> None:
    unknown = [q for q in quants if q not in QUANTS]
    if unknown:
        raise MedassistError(
            f"unknown quantization {', '.join(unknown)}: expected some of {', '.join(QUANTS)}"
        )
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).is_file())):
        raise MedassistError(
            f"{out} exists and is not a medassist GGUF export; remove it or pick another --out"
        )
    if out.resolve() == adapter_dir.resolve() or adapter_dir.resolve() in out.resolve().parents:
        raise MedassistError(
            f"--out {out} is inside the adapter directory {adapter_dir}; export somewhere else"
        )
    if not rows_file.is_file():
        raise MedassistError(f"no eval rows at {rows_file} for the quality gate: run `dvc repro split` first")


def merged_dir(adapter_dir: Path, export_dir: Path, metrics_dir: Path | None) -> Path:
    """make export's float16 merge of this adapter: reused when it is this adapter's, made otherwise."""
    from medassist.share.export import MARKER as EXPORT_MARKER
    from medassist.share.export import export

    marker = export_dir / EXPORT_MARKER
    digest = file_digest(adapter_dir / "adapter_model.safetensors")[:12]
    if marker.is_file():
        record = json.loads(marker.read_text())
        if (
            record.get("adapter_sha256_12") == digest
            and record.get("dtype") == "float16"
            and record.get("base_weights", "full") == "trained"
        ):
            print(f"gguf: reusing the merged model in {export_dir}", file=sys.stderr)
            return export_dir
    return export(adapter_dir, export_dir, "float16", metrics_dir)


def base_pre_tokenizer(base: str) -> str | None:
    """The llama.cpp pre-tokenizer name of a GGUF base (`tokenizer.ggml.pre`), None for other bases."""
    from gguf import GGUFReader

    path = gguf_path(base)
    if path is None:
        return None
    return field_value(GGUFReader(path), "tokenizer.ggml.pre")


def convert(model_dir: Path, outfile: Path, pre: str | None) -> None:
    """llama.cpp's convert_hf_to_gguf.py, run as a script in its own process (medassist.share.gguf_convert)."""
    cmd = [
        sys.executable,
        "-m",
        "medassist.share.gguf_convert",
        str(model_dir),
        "--outfile",
        str(outfile),
        "--outtype",
        "f16",
    ]
    if pre:
        cmd += ["--medassist-pre", pre]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0 or not outfile.is_file():
        tail = [line for line in (proc.stderr or proc.stdout).splitlines() if line.strip()][-3:]
        raise MedassistError(f"llama.cpp's converter failed on {model_dir}: {' | '.join(tail)[:600]}")


def quantize(source: Path, target: Path, quant: str) -> None:
    from medassist.model.llamacpp import require_llama_cpp

    llama_cpp = require_llama_cpp()
    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = QUANTS[quant]
    params.nthread = 0
    status = llama_cpp.llama_model_quantize(str(source).encode(), str(target).encode(), params)
    if status != 0 or not target.is_file():
        raise MedassistError(f"llama.cpp could not quantize {source.name} to {quant} (status {status})")


def metadata(path: Path) -> dict:
    """The GGUF metadata a chat client reads: template, BOS/EOS/end-of-turn ids and their text."""
    from gguf import GGUFReader

    reader = GGUFReader(path)
    value = partial(field_value, reader)
    tokens = reader.fields["tokenizer.ggml.tokens"]
    text = lambda i: bytes(tokens.parts[tokens.data[i]]).decode() if i is not None else None  # noqa: E731
    out = {
        "architecture": value("general.architecture"),
        "chat_template": value("tokenizer.chat_template"),
        "bos_token_id": value("tokenizer.ggml.bos_token_id"),
        "eos_token_id": value("tokenizer.ggml.eos_token_id"),
        "eot_token_id": value("tokenizer.ggml.eot_token_id"),
        "pre_tokenizer": value("tokenizer.ggml.pre"),
    }
    for key in ("bos", "eos", "eot"):
        out[f"{key}_token"] = text(out[f"{key}_token_id"])
    return out


def check_metadata(meta: dict, tokenizer, path: Path) -> None:
    """The chat template and the end-of-turn token made it into the file, as the tokenizer has them."""
    problems = []
    if meta["chat_template"] != tokenizer.chat_template:
        problems.append(
            "the chat template differs from the tokenizer's" if meta["chat_template"] else "no chat template"
        )
    if meta["eos_token_id"] != tokenizer.eos_token_id:
        problems.append(f"EOS id {meta['eos_token_id']}, the end-of-turn token is {tokenizer.eos_token_id}")
    if problems:
        raise MedassistError(f"{path.name}: {'; '.join(problems)}; nothing was replaced")


# -- Ollama -----------------------------------------------------------------------------------------

SENTINELS = ("MEDASSIST_USER_1", "MEDASSIST_ANSWER_1", "MEDASSIST_USER_2")


def go_template(tokenizer) -> str:
    """The tokenizer's chat template as an Ollama (Go) template for user/assistant turns.

    Derived, not hand-written: the Jinja template is rendered around sentinel messages and cut into
    the text before, between and after them; the Go template puts the same text around Ollama's
    `.Messages` (system messages are dropped: the fine-tune never saw one, as in medassist). A test
    renders both on the same conversations and compares."""
    u1, a1, u2 = SENTINELS
    turns = [
        {"role": "user", "content": u1},
        {"role": "assistant", "content": a1},
        {"role": "user", "content": u2},
    ]
    full = tokenizer.apply_chat_template(turns, tokenize=False, add_generation_prompt=True)
    bare = tokenizer.apply_chat_template(turns, tokenize=False, add_generation_prompt=False)
    if not full.startswith(bare) or any(full.count(s) != 1 for s in SENTINELS):
        raise MedassistError(
            "the chat template cannot be expressed as an Ollama template (unexpected structure)"
        )
    generation = full[len(bare) :]
    head, rest = full.split(u1)
    user_suffix_assistant_prefix, rest = rest.split(a1)
    assistant_suffix_user_prefix, rest = rest.split(u2)
    user_suffix = rest[: len(rest) - len(generation)]
    if not user_suffix_assistant_prefix.startswith(user_suffix):
        raise MedassistError(
            "the chat template closes user turns inconsistently; write the Ollama template by hand"
        )
    assistant_prefix = user_suffix_assistant_prefix[len(user_suffix) :]
    # The user prefix is what the head and the assistant-to-user text end with in common.
    common = 0
    while (
        common < min(len(head), len(assistant_suffix_user_prefix))
        and head[len(head) - 1 - common] == assistant_suffix_user_prefix[-1 - common]
    ):
        common += 1
    user_prefix = head[len(head) - common :]
    preamble, assistant_suffix = (
        head[: len(head) - common],
        assistant_suffix_user_prefix[: len(assistant_suffix_user_prefix) - common],
    )
    for piece in (preamble, user_prefix, user_suffix, assistant_prefix, assistant_suffix, generation):
        if "{{" in piece or "}}" in piece:
            raise MedassistError("the chat template's text holds '{{': write the Ollama template by hand")
    return (
        f'{preamble}{{{{ range .Messages }}}}{{{{ if eq .Role "user" }}}}{user_prefix}{{{{ .Content }}}}'
        f'{user_suffix}{{{{ else if eq .Role "assistant" }}}}{assistant_prefix}{{{{ .Content }}}}'
        f"{assistant_suffix}{{{{ end }}}}{{{{ end }}}}{generation}"
    )


def modelfile(gguf: str, tokenizer, repeat_penalty: float, max_new_tokens: int) -> str:
    template = go_template(tokenizer).replace('"""', '\\"\\"\\"')
    return "\n".join(
        [
            "# Ollama: ollama create medassist -f Modelfile && ollama run medassist",
            f"# {DISCLAIMER}",
            "# No safety layer travels inside a GGUF: put medassist's triage in front of any public endpoint.",
            f"FROM ./{gguf}",
            f'TEMPLATE """{template}"""',
            f'PARAMETER stop "{tokenizer.eos_token}"',
            "PARAMETER temperature 0",
            f"PARAMETER repeat_penalty {repeat_penalty:g}",
            "PARAMETER repeat_last_n -1",
            f"PARAMETER num_predict {max_new_tokens}",
            "",
        ]
    )


def ollama_penalty(decoding: Decoding, fallback: float) -> float:
    """The adapter's repetition penalty when its decoding is portable; else the portable fallback."""
    if not decoding.no_repeat_ngram_size:
        return decoding.repetition_penalty
    return max(decoding.repetition_penalty, fallback)


# -- card -------------------------------------------------------------------------------------------


def gate_table(gate: dict) -> list[str]:
    rows = [
        "| model | answer NLL | EOS rate | loops | identical to adapter | tokens to first difference | "
        "token agreement | size MB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, m in gate["models"].items():
        rows.append(
            f"| {name} | {m['answer_nll']:.3f} | {m['eos_rate']:.0%} | {m['loops']} | "
            f"{m.get('identical_answers', 1):.0%} | {m.get('tokens_to_first_difference', float('nan')):.1f} | "
            f"{m.get('token_agreement', 1):.0%} | {m.get('size_mb', '')} |"
        )
    return rows


def card(meta: dict, adapter_dir: Path, gate: dict, files: list[str], repeat_penalty: float) -> str:
    decoding = Decoding.from_mapping(meta.get("decoding"))
    lines = [
        "---",
        "tags: [medical, lora, merged, gguf]",
        "---",
        "# medassist (GGUF)",
        "",
        f"> **Educational use only.** {DISCLAIMER}",
        "",
        f"medassist's LoRA adapter (`{adapter_dir}`) merged into `{meta['base_model']}` "
        f"({merged_into(meta, 'trained')}) and converted with "
        "llama.cpp's own converter (f16), then quantized with llama.cpp's quantizer: "
        + ", ".join(f"`{f}`" for f in files)
        + ".",
        "",
        "## Quality gate",
        "",
        f"On {gate['rows']} eval rows, greedy ({decoding.describe()}), up to {gate['max_new_tokens']} new tokens; "
        "agreement is with the adapter on its base as evaluated. Gate: "
        + ("**passed**." if gate["passed"] else "**failed**: " + "; ".join(gate["failures"])),
        "",
        *gate_table(gate),
        "",
        "## Use",
        "",
        "```bash",
        "ollama create medassist -f Modelfile && ollama run medassist",
        f"llama-server -m {files[-1]} --jinja --temp 0 --repeat-penalty {repeat_penalty:g} --repeat-last-n -1",
        "```",
        "",
        f"Evaluated decoding: greedy, {decoding.describe()}. llama.cpp and Ollama have no no_repeat_ngram_size; "
        f"the Modelfile uses repeat_penalty {repeat_penalty:g} over the whole context (the portable setting "
        "chosen on the dev slice); the gate's `modelfile_decoding` figures are what that setting gives.",
        "",
        "## Safety",
        "",
        "No safety layer travels inside a GGUF file: run as-is, the model answers a description of a medical "
        "emergency with generated text. medassist's demo and API put emergency triage in front of it.",
    ]
    return "\n".join(lines) + "\n"


# -- the export -------------------------------------------------------------------------------------


def export_gguf(
    adapter_dir: Path = paths.ADAPTER,
    out: Path = OUT,
    quants: tuple[str, ...] | list[str] = DEFAULT_QUANTS,
    rows_file: Path = paths.EVAL,
    max_rows: int = 0,
    max_new_tokens: int = DEFAULT_MAX_NEW_TOKENS,
    ollama_repeat_penalty: float = PORTABLE_REPEAT_PENALTY,
    export_dir: Path = paths.EXPORT,
    metrics_dir: Path | None = paths.METRICS,
    max_length: int = 1024,
) -> dict:
    from medassist.model.loading import load_tokenizer
    from medassist.share.gguf_gate import run_gate

    adapter_dir, out, rows_file = Path(adapter_dir), Path(out), Path(rows_file)
    quants = list(dict.fromkeys(q.lower() for q in quants))
    check_args(quants, out, adapter_dir, rows_file)
    meta = read_adapter(adapter_dir)
    gguf_tools.require()
    rows = read_jsonl(rows_file)[: max_rows or None]
    if not rows:
        raise MedassistError(f"{rows_file} holds no rows for the quality gate")
    merged = merged_dir(adapter_dir, export_dir, metrics_dir)
    tokenizer = load_tokenizer(str(merged))
    decoding = Decoding.from_mapping(meta.get("decoding"))
    penalty = ollama_penalty(decoding, ollama_repeat_penalty)
    with atomic_dir(out) as tmp:
        f16 = tmp / gguf_name("f16")
        print(f"gguf: converting {merged} with llama.cpp's converter ...", file=sys.stderr)
        convert(merged, f16, base_pre_tokenizer(meta["base_model"]))
        file_meta = metadata(f16)
        check_metadata(file_meta, tokenizer, f16)
        files = {"f16": f16}
        for quant in quants:
            print(f"gguf: quantizing to {quant} ...", file=sys.stderr)
            files[quant] = tmp / gguf_name(quant)
            quantize(f16, files[quant], quant)
        gate = run_gate(adapter_dir, meta, merged, files, rows, max_new_tokens, max_length, penalty)
        gate["metadata"] = {k: v for k, v in file_meta.items() if k != "chat_template"}
        (tmp / GATE).write_text(json.dumps(gate, indent=2) + "\n")
        served = gguf_name(quants[-1]) if quants else gguf_name("f16")
        for tok_file in (
            "tokenizer.json",
            "tokenizer_config.json",
            "chat_template.jinja",
            "special_tokens_map.json",
        ):
            if (merged / tok_file).is_file():
                (tmp / tok_file).write_bytes((merged / tok_file).read_bytes())
        (tmp / "Modelfile").write_text(modelfile(served, tokenizer, penalty, max_new_tokens))
        (tmp / "README.md").write_text(
            card(meta, adapter_dir, gate, [p.name for p in files.values()], penalty)
        )
        (tmp / MARKER).write_text(
            json.dumps(
                {
                    "base_model": meta["base_model"],
                    "adapter": str(adapter_dir),
                    "adapter_sha256_12": file_digest(adapter_dir / "adapter_model.safetensors")[:12],
                    "files": {k: p.name for k, p in files.items()},
                    "decoding": decoding.to_dict(),
                    "ollama_repeat_penalty": penalty,
                    "llama_cpp_python": gguf_tools.version(),
                },
                indent=2,
            )
            + "\n"
        )
        if not gate["passed"]:
            print("\n".join(gate_table(gate)), file=sys.stderr)
            raise MedassistError(
                "the GGUF quality gate failed, nothing was replaced: " + "; ".join(gate["failures"])
            )
    if metrics_dir is not None:
        Path(metrics_dir).mkdir(parents=True, exist_ok=True)
        (Path(metrics_dir) / "gguf_gate.json").write_text(json.dumps(gate, indent=2) + "\n")
    print(
        f"gguf: wrote {out} ({', '.join(p.name for p in files.values())}, Modelfile, README.md, {GATE})",
        file=sys.stderr,
    )
    return gate


def eval_max_new_tokens() -> int:
    """params.yaml's eval.max_new_tokens (what the eval stage used), or the demo's default without one."""
    from medassist.core.params import load_params

    return load_params().eval.max_new_tokens if paths.PARAMS.is_file() else DEFAULT_MAX_NEW_TOKENS


def main(argv=None) -> None:
    ap = parser(__doc__)
    ap.add_argument(
        "--adapter", type=Path, default=paths.ADAPTER, help=f"adapter directory (default {paths.ADAPTER})"
    )
    ap.add_argument(
        "--out", type=Path, default=OUT, help=f"GGUF export directory (default {OUT}), replaced in one step"
    )
    ap.add_argument(
        "--quant",
        action="append",
        help=f"a quantization ({', '.join(QUANTS)}); repeat for several "
        f"(default {' and '.join(DEFAULT_QUANTS)}); f16 is always written",
    )
    ap.add_argument("--rows", type=int, default=0, help="gate on the first N eval rows only (default: all)")
    ap.add_argument("--rows-file", type=Path, default=paths.EVAL, help=f"gate rows (default {paths.EVAL})")
    ap.add_argument(
        "--max-new-tokens",
        type=int,
        default=0,
        help="answer length cap of the gate (default: params.yaml's eval.max_new_tokens, as evaluated)",
    )
    ap.add_argument(
        "--ollama-repeat-penalty",
        type=float,
        default=PORTABLE_REPEAT_PENALTY,
        help="the Modelfile's repeat_penalty when the adapter's decoding is not portable",
    )
    args = ap.parse_args(argv)
    same = args.adapter.resolve() == paths.ADAPTER.resolve()
    export_gguf(
        args.adapter,
        args.out,
        args.quant or list(DEFAULT_QUANTS),
        args.rows_file,
        args.rows,
        args.max_new_tokens or eval_max_new_tokens(),
        args.ollama_repeat_penalty,
        metrics_dir=paths.METRICS if same else None,
    )


if __name__ == "__main__":
    from medassist.core.cli import run

    run(main)
