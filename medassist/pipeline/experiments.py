"""The four reference experiments (docs/experiments.md), queued as named DVC experiments.

    python -m medassist.pipeline.experiments run [--profile smoke]   # queue all four, run one at a time
    python -m medassist.pipeline.experiments table [--out metrics/experiments.md]

Each experiment is an independent `dvc exp run` from the committed base weights (DVC runs each
queued experiment in its own temporary copy of the repository), so none can continue another's
model. On several GPUs, `dvc queue start -j N` runs N at a time (see README).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from medassist.core import MedassistError, paths
from medassist.core.cli import parser as cli_parser
from medassist.core.cli import run
from medassist.core.paths import SCORES
from medassist.pipeline.profile import flatten, load_profile, set_args, unflatten

GRID = {
    "exp1": {"train.learning_rate": "2e-4", "train.batch_size": 4, "train.epochs": 1, "lora.r": 16},
    "exp2": {"train.learning_rate": "5e-5", "train.batch_size": 4, "train.epochs": 2, "lora.r": 16},
    "exp3": {"train.learning_rate": "2e-4", "train.batch_size": 2, "train.epochs": 1, "lora.r": 8},
    "exp4": {"train.learning_rate": "1e-4", "train.batch_size": 4, "train.epochs": 1, "lora.r": 32},
}
KNOBS = ["train.learning_rate", "train.batch_size", "train.epochs", "lora.r"]
TRAIN_METRICS = ["train_runtime_s", "train_loss", "eval_loss"]


def dvc(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run(["dvc", *args], text=True, capture_output=True)
    if check and proc.returncode != 0:
        raise MedassistError(f"`dvc {' '.join(args)}` failed:\n{proc.stdout}{proc.stderr}")
    return proc


def exp_name(name: str, profile: str | None) -> str:
    return f"{profile}-{name}" if profile else name


def queue_and_run(profile: str | None) -> None:
    base = flatten(load_profile(profile)) if profile else {}
    names = [exp_name(n, profile) for n in GRID]
    dvc("exp", "remove", *names, check=False)  # re-running replaces the previous runs
    for name, knobs in GRID.items():
        overrides = set_args(unflatten({**base, **knobs}))
        dvc("exp", "run", "--queue", "-n", exp_name(name, profile), *overrides)
        print(f"queued {exp_name(name, profile)}: {knobs}")
    # --run-all executes the queue (one job: one GPU) and waits for it.
    proc = subprocess.run(["dvc", "exp", "run", "--run-all", "-j", "1"])
    failed = [n for n in names if n not in dvc("exp", "ls", "--name-only").stdout.split()]
    if proc.returncode != 0 or failed:
        raise MedassistError(
            f"experiments failed: {failed or names}; see `dvc queue logs <name>` and `dvc queue status`"
        )


def table() -> str:
    # Scores exist in both eval files, so dvc names them `metrics/eval_<model>.json:<score>`.
    scores = "|".join(SCORES)
    keep = "|".join(
        [
            "Experiment",
            "Created",
            *(k.replace(".", r"\.") for k in KNOBS),
            *TRAIN_METRICS,
            rf"metrics/eval_(base|finetuned)\.json:({scores})",
            rf"({scores})\.delta",
        ]
    )
    proc = dvc(
        "exp",
        "show",
        "--md",
        "--no-pager",
        "--hide-workspace",
        "--hide-queued",
        "--hide-failed",
        "--drop",
        ".*",
        "--keep",
        f"^({keep})$",
        "--precision",
        "4",
    )
    return proc.stdout


def main() -> None:
    parser = cli_parser(__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    run_p = sub.add_parser("run")
    run_p.add_argument("--profile", default=None)
    table_p = sub.add_parser("table")
    table_p.add_argument("--out", type=Path, default=paths.EXPERIMENTS_TABLE)
    args = parser.parse_args()
    if args.command == "run":
        queue_and_run(args.profile or None)
    else:
        text = table()
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text)
        sys.stdout.write(text)
        print(f"\n(saved to {args.out})")


if __name__ == "__main__":
    run(main)
