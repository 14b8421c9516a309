"""compare: base vs fine-tuned on the same eval rows.

-> metrics/compare.json   each metric's base and fine-tuned value, delta (fine-tuned - base),
                          paired-bootstrap 95% interval of the delta, P(better) and win rate
   metrics/report.md      the table, the verdict, the chart, and side-by-side answers for
                          eval.questions and for eval.report_samples eval rows
   metrics/compare.png    bar chart of base vs fine-tuned with 95% intervals
   metrics/compare_plot.json  the chart's data, for `dvc plots show` / `dvc plots diff`
   eval/predictions.jsonl question, reference, base answer, fine-tuned answer per eval row

The bootstrap is paired (medassist.evaluation.comparison): both models are scored on the same
resampled rows, so the interval of the delta is much tighter than the two separate intervals.
"""

import json

from medassist.core import MedassistError, paths
from medassist.core.cli import run
from medassist.core.io import atomic_path, read_jsonl, write_json, write_jsonl
from medassist.core.params import load_params
from medassist.evaluation.comparison import check_aligned, compare, verdict
from medassist.evaluation.metrics import sentence_scores
from medassist.evaluation.report import draw_chart, fmt_delta, plot_rows, report


def load_side(side: str) -> tuple[list[dict], list[dict], dict]:
    folder, metrics = paths.eval_dir(side), paths.eval_metrics(side)
    if not metrics.exists():
        raise MedassistError(f"{metrics} not found: run `dvc repro eval_{side}` first")
    try:
        summary = json.loads(metrics.read_text())
    except json.JSONDecodeError as exc:
        raise MedassistError(f"{metrics} is corrupt ({exc.msg}): re-run `dvc repro eval_{side}`") from None
    return read_jsonl(folder / "predictions.jsonl"), read_jsonl(folder / "qualitative.jsonl"), summary


def main() -> None:
    params = load_params()
    (base, base_q, base_summary), (ft, ft_q, ft_summary) = load_side("base"), load_side("finetuned")
    check_aligned(base, ft)
    summaries = {"base": base_summary, "finetuned": ft_summary}
    if [q["question"] for q in base_q] != [q["question"] for q in ft_q]:
        raise MedassistError(
            "the base and fine-tuned answers to eval.questions differ in their questions: "
            "re-run both evaluations (`dvc repro compare`)"
        )

    comparison = compare(base, ft, params.eval.n_boot, params.eval.seed)
    refs = [r["reference"] for r in base]
    for rows in (base, ft):  # per-row ROUGE-L, for the report and the combined predictions
        for row, value in zip(rows, sentence_scores([r["answer"] for r in rows], refs)["rougeL"]):
            row["rougeL"] = float(value)

    try:
        write_json(paths.COMPARE, comparison)
        write_json(paths.PLOT_DATA, plot_rows(summaries))
        draw_chart(summaries, paths.CHART)
        with atomic_path(paths.REPORT) as tmp:
            tmp.write_text(
                report(params, comparison, summaries, base, ft, {"base": base_q, "finetuned": ft_q}) + "\n"
            )
        write_jsonl(
            paths.PREDICTIONS,
            (
                {
                    "question": b["question"],
                    "reference": b["reference"],
                    "base": b["answer"],
                    "finetuned": f["answer"],
                    "base_rougeL": round(b["rougeL"], 2),
                    "finetuned_rougeL": round(f["rougeL"], 2),
                    "base_ended_with_eos": b["ended_with_eos"],
                    "finetuned_ended_with_eos": f["ended_with_eos"],
                }
                for b, f in zip(base, ft)
            ),
        )
    except OSError as exc:
        raise MedassistError(f"cannot write the comparison: {exc}") from None

    rl = comparison["rougeL"]
    print(
        f"compare: ROUGE-L {rl['base']:.2f} -> {rl['finetuned']:.2f} ({fmt_delta(rl, 'rougeL')}, "
        f"{verdict('rougeL', rl)}), win rate {rl['win_rate']:.2f} -> {paths.COMPARE}, {paths.REPORT}"
    )


if __name__ == "__main__":
    run(main, __doc__)
