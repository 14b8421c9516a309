"""compare: base vs fine-tuned on the same eval rows.

-> metrics/compare.json   each metric's base and fine-tuned value, delta (fine-tuned - base),
                          paired-bootstrap 95% interval of the delta, P(better) and win rate
   metrics/report.md      the table, the verdict, the chart, and side-by-side answers for
                          eval.questions and for eval.report_samples eval rows
   metrics/compare.png    bar chart of base vs fine-tuned with 95% intervals
   metrics/compare_plot.json  the chart's data, for `dvc plots show` / `dvc plots diff`
   eval/predictions.jsonl question, reference, base answer, fine-tuned answer per eval row

The bootstrap is paired: both models are scored on the same resampled rows, so the interval of
the delta is much tighter than the two separate intervals suggest.
"""

import json
import random
from pathlib import Path

import numpy as np

from medassist import MedassistError
from medassist.cli import run
from medassist.io import atomic_path, read_jsonl, write_json, write_jsonl
from medassist.metrics import METRICS, paired_comparison, paired_stat_comparison, sentence_scores
from medassist.params import load_params

SIDES = ("base", "finetuned")
PREDICTIONS_IN = {side: Path("eval") / side for side in SIDES}
METRICS_IN = {side: Path("metrics") / f"eval_{side}.json" for side in SIDES}
COMPARE = Path("metrics/compare.json")
REPORT = Path("metrics/report.md")
CHART = Path("metrics/compare.png")
PLOT_DATA = Path("metrics/compare_plot.json")
PREDICTIONS = Path("eval/predictions.jsonl")

LABELS = {"bleu": "BLEU", "rouge1": "ROUGE-1", "rouge2": "ROUGE-2", "rougeL": "ROUGE-L",
          "nll": "answer NLL", "perplexity": "answer perplexity", "eos_rate": "ends with EOS",
          "gen_words_mean": "answer words (mean)"}
LOWER_IS_BETTER = {"nll", "perplexity"}


def load_side(side: str) -> tuple[list[dict], list[dict], dict]:
    folder, metrics = PREDICTIONS_IN[side], METRICS_IN[side]
    if not metrics.exists():
        raise MedassistError(f"{metrics} not found: run `dvc repro eval_{side}` first")
    try:
        summary = json.loads(metrics.read_text())
    except json.JSONDecodeError as exc:
        raise MedassistError(f"{metrics} is corrupt ({exc.msg}): re-run `dvc repro eval_{side}`") from None
    return read_jsonl(folder / "predictions.jsonl"), read_jsonl(folder / "qualitative.jsonl"), summary


def check_aligned(base: list[dict], finetuned: list[dict]) -> None:
    if not base:
        raise MedassistError("the eval predictions are empty: nothing to compare (is data/split/eval.jsonl empty?)")
    key = lambda r: (r["question"], r["reference"])  # noqa: E731
    if len(base) != len(finetuned) or any(key(a) != key(b) for a, b in zip(base, finetuned)):
        raise MedassistError(
            f"the base ({len(base)} rows) and fine-tuned ({len(finetuned)} rows) predictions are not for the "
            "same eval rows: re-run both evaluations (`dvc repro compare`)"
        )


def compare(base: list[dict], finetuned: list[dict], n_boot: int, seed: int) -> dict:
    refs = [r["reference"] for r in base]
    col = lambda rows, k: np.array([r[k] for r in rows], dtype=float)  # noqa: E731
    out = paired_comparison([r["answer"] for r in base], [r["answer"] for r in finetuned], refs, n_boot, seed)
    tokens = col(base, "nll_tokens")
    if not np.array_equal(tokens, col(finetuned, "nll_tokens")):
        raise MedassistError("the base and fine-tuned likelihoods were computed on different tokens: re-run both evaluations")
    nll = dict(weights=tokens, n_boot=n_boot, seed=seed, lower_is_better=True)
    out["nll"] = paired_stat_comparison(col(base, "nll_sum"), col(finetuned, "nll_sum"), **nll)
    out["perplexity"] = paired_stat_comparison(col(base, "nll_sum"), col(finetuned, "nll_sum"), transform=np.exp, **nll)
    out["eos_rate"] = paired_stat_comparison(col(base, "ended_with_eos"), col(finetuned, "ended_with_eos"),
                                             n_boot=n_boot, seed=seed)
    # Length: a "win" is an answer whose length is closer to the reference's.
    ref_words = np.array([len(r.split()) for r in refs], dtype=float)
    words = {side: np.array([len(r["answer"].split()) for r in rows], dtype=float)
             for side, rows in zip(SIDES, (base, finetuned))}
    gap_a, gap_b = np.abs(words["base"] - ref_words), np.abs(words["finetuned"] - ref_words)
    out["gen_words_mean"] = paired_stat_comparison(words["base"], words["finetuned"], n_boot=n_boot, seed=seed,
                                                   wins=(gap_b < gap_a) + 0.5 * (gap_b == gap_a))
    flat = {}
    for metric, r in out.items():
        lo, hi = r.pop("delta_ci")
        flat[metric] = {**r, "delta_ci_low": lo, "delta_ci_high": hi}
    flat["ref_words_mean"] = float(ref_words.mean())
    flat["n"] = len(base)
    return flat


def verdict(metric: str, r: dict) -> str:
    lower = metric in LOWER_IS_BETTER
    if r["delta_ci_low"] > 0:
        return "worse" if lower else "better"
    if r["delta_ci_high"] < 0:
        return "better" if lower else "worse"
    return "no clear difference"


def plot_rows(summaries: dict) -> list[dict]:
    """`dvc plots` data: one bar per (metric, model), labelled so each metric's two bars sit
    together; the text metrics and the EOS share (%), all on 0..100."""
    rows = []
    for metric in (*METRICS, "eos_rate"):
        scale = 100.0 if metric == "eos_rate" else 1.0
        label = LABELS[metric] + (" (%)" if metric == "eos_rate" else "")
        for side, name in zip(SIDES, ("base", "fine-tuned")):
            rows.append({"metric": f"{label} · {name}", "score": round(scale * summaries[side][metric], 4)})
    return rows


def draw_chart(summaries: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    metrics = (*METRICS, "eos_rate")
    x = np.arange(len(metrics))
    fig, ax = plt.subplots(figsize=(8, 4.2), dpi=110)
    for offset, side, color in ((-0.2, "base", "#9aa5b1"), (0.2, "finetuned", "#2a7ab0")):
        s = summaries[side]
        values = [100 * s[m] if m == "eos_rate" else s[m] for m in metrics]
        errors = [[max(v - s.get(f"{m}_ci_low", s[m]), 0) for v, m in zip(values, metrics)],
                  [max(s.get(f"{m}_ci_high", s[m]) - v, 0) for v, m in zip(values, metrics)]]
        bars = ax.bar(x + offset, values, width=0.4, color=color, label="fine-tuned" if side == "finetuned" else side,
                      yerr=errors, capsize=3, error_kw={"elinewidth": 1})
        ax.bar_label(bars, fmt="%.1f", padding=2, fontsize=8)
    ax.set_xticks(x, [LABELS[m] + (" %" if m == "eos_rate" else "") for m in metrics])
    ax.set_ylabel("score (0-100)")
    ax.set_title(f"Base vs fine-tuned on {summaries['base']['n']} eval rows (95% bootstrap intervals)")
    ax.legend(frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png")
    plt.close(fig)


def fmt(value: float, metric: str) -> str:
    if metric == "eos_rate":
        return f"{100 * value:.1f}%"
    return f"{value:.2f}" if abs(value) < 1000 else f"{value:.3g}"


def fmt_delta(r: dict, metric: str) -> str:
    sign = lambda v: ("+" if v >= 0 else "") + fmt(v, metric)  # noqa: E731
    return f"{sign(r['delta'])} [{sign(r['delta_ci_low'])}, {sign(r['delta_ci_high'])}]"


def quote(text: str) -> str:
    text = text.strip() or "*(empty answer)*"
    return "\n".join("> " + line for line in text.replace("|", "\\|").splitlines())


def report(params, comparison: dict, summaries: dict, base: list[dict], finetuned: list[dict],
           qualitative: dict) -> str:
    n, p_eval = comparison["n"], params.eval
    lines = [
        "# Base vs fine-tuned",
        "",
        f"`{params.model.base}` ({params.model.quantization}) without and with the LoRA adapter in "
        f"`models/adapter`, on all {n} rows of `data/split/eval.jsonl`: greedy decoding, at most "
        f"{p_eval.max_new_tokens} new tokens. Brackets are 95% intervals from {p_eval.n_boot} bootstrap "
        "resamples of the eval rows; the delta's interval is paired (both models on the same resamples). "
        "BLEU/ROUGE are 0-100 (higher is better); answer NLL/perplexity are of the reference answers "
        "under teacher forcing (lower is better).",
        "",
        "| metric | base | fine-tuned | delta (fine-tuned - base) | P(better) | win rate | verdict |",
        "|---|---|---|---|---|---|---|",
    ]
    for metric in (*METRICS, "nll", "perplexity", "eos_rate", "gen_words_mean"):
        r = comparison[metric]
        cell = {}
        for side in SIDES:
            s = summaries[side]
            ci = f" [{fmt(s[f'{metric}_ci_low'], metric)}, {fmt(s[f'{metric}_ci_high'], metric)}]" if f"{metric}_ci_low" in s else ""
            cell[side] = fmt(r[side], metric) + ci
        shown = "n/a" if metric == "gen_words_mean" else verdict(metric, r)
        label = LABELS[metric] + (f" (reference: {comparison['ref_words_mean']:.1f})" if metric == "gen_words_mean" else "")
        lines.append(f"| {label} | {cell['base']} | {cell['finetuned']} | {fmt_delta(r, metric)} | "
                     f"{r['p_better']:.2f} | {r['win_rate']:.2f} | {shown} |")
    rl = comparison["rougeL"]
    lines += [
        "",
        f"**Verdict (ROUGE-L):** the fine-tuned model is **{verdict('rougeL', rl)}** than the base: "
        f"{fmt_delta(rl, 'rougeL')}, better on {100 * rl['win_rate']:.0f}% of the rows.",
        "",
        "*P(better)*: share of bootstrap resamples in which the fine-tuned model is better. *Win rate*: share "
        "of eval rows on which it is better (ties count half; for length: closer to the reference's length).",
        "",
        f"![Base vs fine-tuned]({CHART.name})",
        "",
        "## Qualitative questions",
        "",
    ]
    for b, f in zip(qualitative["base"], qualitative["finetuned"]):
        lines += [f"### {b['question']}", "", "**Base:**", "", quote(b["answer"]), "",
                  "**Fine-tuned:**", "", quote(f["answer"]), ""]
    if not qualitative["base"]:
        lines += ["(no eval.questions configured)", ""]
    k = min(p_eval.report_samples, n)
    sample = sorted(random.Random(p_eval.seed).sample(range(n), k))
    lines += [f"## Sample of eval rows ({k} of {n}, drawn with eval.seed={p_eval.seed})", ""]
    for i in sample:
        b, f = base[i], finetuned[i]
        lines += [f"### {b['question']}", "", "**Reference:**", "", quote(b["reference"]), "",
                  f"**Base** (ROUGE-L {b['rougeL']:.1f}{', ends with EOS' if b['ended_with_eos'] else ', cut at max_new_tokens'}):",
                  "", quote(b["answer"]), "",
                  f"**Fine-tuned** (ROUGE-L {f['rougeL']:.1f}{', ends with EOS' if f['ended_with_eos'] else ', cut at max_new_tokens'}):",
                  "", quote(f["answer"]), ""]
    return "\n".join(lines)


def main() -> None:
    params = load_params()
    (base, base_q, base_summary), (ft, ft_q, ft_summary) = load_side("base"), load_side("finetuned")
    check_aligned(base, ft)
    summaries = {"base": base_summary, "finetuned": ft_summary}
    if [q["question"] for q in base_q] != [q["question"] for q in ft_q]:
        raise MedassistError("the base and fine-tuned answers to eval.questions differ in their questions: "
                             "re-run both evaluations (`dvc repro compare`)")

    comparison = compare(base, ft, params.eval.n_boot, params.eval.seed)
    refs = [r["reference"] for r in base]
    for rows in (base, ft):  # per-row ROUGE-L, for the report and the combined predictions
        for row, value in zip(rows, sentence_scores([r["answer"] for r in rows], refs)["rougeL"]):
            row["rougeL"] = float(value)

    try:
        write_json(COMPARE, comparison)
        write_json(PLOT_DATA, plot_rows(summaries))
        draw_chart(summaries, CHART)
        with atomic_path(REPORT) as tmp:
            tmp.write_text(report(params, comparison, summaries, base, ft, {"base": base_q, "finetuned": ft_q}) + "\n")
        write_jsonl(PREDICTIONS, (
            {"question": b["question"], "reference": b["reference"], "base": b["answer"], "finetuned": f["answer"],
             "base_rougeL": round(b["rougeL"], 2), "finetuned_rougeL": round(f["rougeL"], 2),
             "base_ended_with_eos": b["ended_with_eos"], "finetuned_ended_with_eos": f["ended_with_eos"]}
            for b, f in zip(base, ft)
        ))
    except OSError as exc:
        raise MedassistError(f"cannot write the comparison: {exc}") from None

    rl = comparison["rougeL"]
    print(f"compare: ROUGE-L {rl['base']:.2f} -> {rl['finetuned']:.2f} ({fmt_delta(rl, 'rougeL')}, "
          f"{verdict('rougeL', rl)}), win rate {rl['win_rate']:.2f} -> {COMPARE}, {REPORT}")


if __name__ == "__main__":
    run(main)
