"""split: data/clean -> data/split/{train,eval}.jsonl + metrics/split.json.

A seeded shuffle draws data.n_samples rows; near-duplicate questions form groups, and whole groups
go to eval until it holds data.eval_fraction of the rows (medassist.data.split), so no group
straddles the split. The report states the leakage.
"""

from medassist.core import paths
from medassist.core.cli import run
from medassist.core.io import read_jsonl, write_json, write_jsonl
from medassist.core.params import load_params
from medassist.data.split import leakage, split_rows


def main() -> None:
    params = load_params().data
    train, evaluation, n_groups = split_rows(
        read_jsonl(paths.CLEAN), params.n_samples, params.eval_fraction, params.seed
    )
    leaked = leakage(train, evaluation)
    write_jsonl(paths.TRAIN, train)
    write_jsonl(paths.EVAL, evaluation)
    write_json(
        paths.SPLIT_METRICS,
        {
            "train_rows": len(train),
            "eval_rows": len(evaluation),
            "question_groups": n_groups,
            "leakage": leaked,
        },
    )
    print(f"split: {len(train)} train / {len(evaluation)} eval, {n_groups} question groups, leakage {leaked}")


if __name__ == "__main__":
    run(main, __doc__)
