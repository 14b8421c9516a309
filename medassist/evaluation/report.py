"""What the compare stage shows: metrics/report.md, the bar chart and the `dvc plots` data."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np

from medassist.core import paths
from medassist.core.io import atomic_path
from medassist.core.paths import SCORES, SIDES
from medassist.evaluation.comparison import verdict
from medassist.evaluation.contamination import leakage_lines
from medassist.evaluation.degeneration import LOOP_THRESHOLD

LABELS = {
    "bleu": "BLEU",
    "rouge1": "ROUGE-1",
    "rouge2": "ROUGE-2",
    "rougeL": "ROUGE-L",
    "nll": "answer NLL",
    "perplexity": "answer perplexity",
    "eos_rate": "ends with EOS",
    "gen_words_mean": "answer words (mean)",
    "loop_rate": "answers that loop",
    "distinct_2": "distinct-2 (mean)",
}
PERCENT = {"eos_rate", "loop_rate"}


def plot_rows(summaries: dict) -> list[dict]:
    """`dvc plots` data: one bar per (metric, model), labelled so each metric's two bars sit
    together; the text metrics and the EOS share (%), all on 0..100."""
    rows = []
    for metric in (*SCORES, "eos_rate"):
        scale = 100.0 if metric == "eos_rate" else 1.0
        label = LABELS[metric] + (" (%)" if metric == "eos_rate" else "")
        for side, name in zip(SIDES, ("base", "fine-tuned")):
            rows.append({"metric": f"{label} · {name}", "score": round(scale * summaries[side][metric], 4)})
    return rows


def draw_chart(summaries: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    metrics = (*SCORES, "eos_rate")
    x = np.arange(len(metrics))
    fig, ax = plt.subplots(figsize=(8, 4.2), dpi=110)
    for offset, side, color in ((-0.2, "base", "#9aa5b1"), (0.2, "finetuned", "#2a7ab0")):
        s = summaries[side]
        values = [100 * s[m] if m == "eos_rate" else s[m] for m in metrics]
        errors = [
            [max(v - s.get(f"{m}_ci_low", s[m]), 0) for v, m in zip(values, metrics)],
            [max(s.get(f"{m}_ci_high", s[m]) - v, 0) for v, m in zip(values, metrics)],
        ]
        bars = ax.bar(
            x + offset,
            values,
            width=0.4,
            color=color,
            label="fine-tuned" if side == "finetuned" else side,
            yerr=errors,
            capsize=3,
            error_kw={"elinewidth": 1},
        )
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
    if metric in PERCENT:
        return f"{100 * value:.1f}%"
    return f"{value:.2f}" if abs(value) < 1000 else f"{value:.3g}"


def fmt_delta(r: dict, metric: str) -> str:
    sign = lambda v: ("+" if v >= 0 else "") + fmt(v, metric)  # noqa: E731
    return f"{sign(r['delta'])} [{sign(r['delta_ci_low'])}, {sign(r['delta_ci_high'])}]"


def ending(row: dict) -> str:
    end = ", ends with EOS" if row["ended_with_eos"] else ", cut at max_new_tokens"
    return end + (", **loops**" if row.get("loop") else "")


def quote(text: str) -> str:
    text = text.strip() or "*(empty answer)*"
    return "\n".join("> " + line for line in text.replace("|", "\\|").splitlines())


def report(
    params, comparison: dict, summaries: dict, base: list[dict], finetuned: list[dict], qualitative: dict
) -> str:
    n, p_eval = comparison["n"], params.eval
    lines = [
        "# Base vs fine-tuned",
        "",
        f"`{params.model.base}` ({params.model.quantization}) without and with the LoRA adapter in "
        f"`{paths.ADAPTER}`, on all {n} rows of `{paths.EVAL}`: greedy decoding, at most "
        f"{p_eval.max_new_tokens} new tokens. Brackets are 95% intervals from {p_eval.n_boot} bootstrap "
        "resamples of the eval rows; the delta's interval is paired (both models on the same resamples). "
        "BLEU/ROUGE are 0-100 (higher is better); answer NLL/perplexity are of the reference answers "
        "under teacher forcing (lower is better).",
        "",
        "| metric | base | fine-tuned | delta (fine-tuned - base) | P(better) | win rate | verdict |",
        "|---|---|---|---|---|---|---|",
    ]
    for metric in (*SCORES, "nll", "perplexity", "eos_rate", "loop_rate", "distinct_2", "gen_words_mean"):
        r = comparison[metric]
        cell = {}
        for side in SIDES:
            s = summaries[side]
            ci = (
                f" [{fmt(s[f'{metric}_ci_low'], metric)}, {fmt(s[f'{metric}_ci_high'], metric)}]"
                if f"{metric}_ci_low" in s
                else ""
            )
            cell[side] = fmt(r[side], metric) + ci
        shown = "n/a" if metric == "gen_words_mean" else verdict(metric, r)
        label = LABELS[metric] + (
            f" (reference: {comparison['ref_words_mean']:.1f})" if metric == "gen_words_mean" else ""
        )
        lines.append(
            f"| {label} | {cell['base']} | {cell['finetuned']} | {fmt_delta(r, metric)} | "
            f"{r['p_better']:.2f} | {r['win_rate']:.2f} | {shown} |"
        )
    rl = comparison["rougeL"]
    lines += [
        "",
        f"**Verdict (ROUGE-L):** the fine-tuned model is **{verdict('rougeL', rl)}** than the base: "
        f"{fmt_delta(rl, 'rougeL')}, better on {100 * rl['win_rate']:.0f}% of the rows.",
        *leakage_lines(),
        "",
        f"**What a reader gets:** answers that loop (more than {100 * LOOP_THRESHOLD:.0f}% of their word "
        f"4-grams repeated): base {summaries['base']['loops']} of {n}, fine-tuned "
        f"{summaries['finetuned']['loops']} of {n}; answers that end with the end-of-turn token: base "
        f"{fmt(summaries['base']['eos_rate'], 'eos_rate')}, fine-tuned "
        f"{fmt(summaries['finetuned']['eos_rate'], 'eos_rate')}.",
        "",
        "*P(better)*: share of bootstrap resamples in which the fine-tuned model is better. *Win rate*: share "
        "of eval rows on which it is better (ties count half; for length: closer to the reference's length).",
        "",
        f"![Base vs fine-tuned]({paths.CHART.name})",
        "",
        "## Qualitative questions",
        "",
    ]
    for b, f in zip(qualitative["base"], qualitative["finetuned"]):
        lines += [
            f"### {b['question']}",
            "",
            f"**Base** ({ending(b)[2:]}):",
            "",
            quote(b["answer"]),
            "",
            f"**Fine-tuned** ({ending(f)[2:]}):",
            "",
            quote(f["answer"]),
            "",
        ]
    if not qualitative["base"]:
        lines += ["(no eval.questions configured)", ""]
    k = min(p_eval.report_samples, n)
    sample = sorted(random.Random(p_eval.seed).sample(range(n), k))
    lines += [f"## Sample of eval rows ({k} of {n}, drawn with eval.seed={p_eval.seed})", ""]
    for i in sample:
        b, f = base[i], finetuned[i]
        lines += [
            f"### {b['question']}",
            "",
            "**Reference:**",
            "",
            quote(b["reference"]),
            "",
            f"**Base** (ROUGE-L {b['rougeL']:.1f}{ending(b)}):",
            "",
            quote(b["answer"]),
            "",
            f"**Fine-tuned** (ROUGE-L {f['rougeL']:.1f}{ending(f)}):",
            "",
            quote(f["answer"]),
            "",
        ]
    return "\n".join(lines)
