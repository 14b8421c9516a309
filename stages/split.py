"""split: data/clean -> data/split/{train,dev,eval}.jsonl + metrics/split.json.

A seeded shuffle draws data.n_samples rows; near-duplicates (the same question, near-identical
answers, or related answers to questions that mean the same: medassist.data.dedup, thresholds in
params `split`) form groups, and whole groups go to eval until it holds data.eval_fraction of the
rows, then whole groups go to dev (held out of training: where `make decoding` chooses the decoding,
never on eval rows) until it holds data.dev_fraction (medassist.data.split), so no group straddles
the split. Then what still leaks is measured by
another similarity (medassist.data.leakage: each eval row's nearest train row by TF-IDF char-n-gram
cosine), and the report states it.
"""

import time

from medassist.core import paths
from medassist.core.cli import run
from medassist.core.io import check_writable, read_jsonl, write_json, write_jsonl
from medassist.core.params import load_params
from medassist.data import leakage
from medassist.data.split import split_rows, thresholds


def main() -> None:
    params = load_params()
    data, p = params.data, params.split
    check_writable(paths.TRAIN, paths.DEV, paths.EVAL, paths.SPLIT_METRICS)
    start = time.perf_counter()
    train, dev, evaluation, groups = split_rows(
        read_jsonl(paths.CLEAN),
        data.n_samples,
        data.eval_fraction,
        data.seed,
        thresholds(p),
        dev_fraction=data.dev_fraction,
    )
    sizes = groups.sizes()
    grouped = time.perf_counter()
    measured = leakage.measure(train, evaluation, p.leakage_threshold)
    measured_s = time.perf_counter() - grouped
    write_jsonl(paths.TRAIN, train)
    write_jsonl(paths.DEV, dev)
    write_jsonl(paths.EVAL, evaluation)
    write_json(
        paths.SPLIT_METRICS,
        {
            "train_rows": len(train),
            "dev_rows": len(dev),
            "eval_rows": len(evaluation),
            "groups": len(sizes),
            "grouped_rows": sum(n for n in sizes.values() if n > 1),
            "multi_row_groups": sum(n > 1 for n in sizes.values()),
            "largest_group": max(sizes.values()),
            "pairs_merged": groups.pairs,
            "questions_embedded": groups.encoded,
            **measured,
            "leakage_warn": p.leakage_warn,
        },
    )
    print(
        f"split: {len(train)} train / {len(dev)} dev / {len(evaluation)} eval, {len(sizes)} near-duplicate groups "
        f"(largest {max(sizes.values())} rows); leakage {100 * measured['leakage']:.1f}% of eval rows "
        f"(nearest train row TF-IDF cosine >= {p.leakage_threshold}); grouping and split "
        f"{grouped - start:.1f} s, leakage measure {measured_s:.1f} s"
    )


if __name__ == "__main__":
    run(main, __doc__)
