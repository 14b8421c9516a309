"""The report's leakage line: how much of the eval split still has a near-duplicate in train.

Rendered from metrics/split.json (written by the split stage, medassist.data.leakage), next to the
verdict, so a reader weighs the fine-tuned model's gain against what it may simply have memorised.
"""

from __future__ import annotations

import json
from pathlib import Path

from medassist.core import paths


def leakage_lines(path: str | Path = paths.SPLIT_METRICS) -> list[str]:
    """One line stating the measured leakage, and a warning line when it is above split.leakage_warn."""
    try:
        split = json.loads(Path(path).read_text())
        share, threshold, warn = split["leakage"], split["leakage_threshold"], split["leakage_warn"]
    except (OSError, ValueError, KeyError, TypeError):
        return [
            "",
            f"**Leakage:** not measured (`{path}` is missing or has no leakage figures: `dvc repro split`).",
        ]
    lines = [
        "",
        f"**Leakage:** {100 * share:.1f}% of eval rows ({split.get('leaked_rows', '?')} of "
        f"{split.get('eval_rows', '?')}) have a train row with TF-IDF char-4-gram cosine >= {threshold} "
        f"(question + answer; median nearest-train cosine {split.get('nearest_train_cosine_median', '?')}), "
        f"measured independently of the near-duplicate grouping that made the split "
        f"({split.get('grouped_rows', '?')} rows in {split.get('multi_row_groups', '?')} groups kept on one side, "
        f"largest {split.get('largest_group', '?')}; `{path}`).",
    ]
    if share > warn:
        lines += [
            "",
            f"**Warning: {100 * share:.1f}% of eval rows have a near-duplicate in train** (above "
            f"split.leakage_warn = {100 * warn:.0f}%): part of the fine-tuned model's gain may be recall of "
            "training cards rather than learning.",
        ]
    return lines
