"""`make bench-triage`: time per message of the emergency triage (medassist.serve.triage), both sets.

    python -m benchmarks.triage [--reps 3] [--threads 2] [--development-only]

Loads the triage once (the semantic layer's table and regressions, reported separately), then times
check_emergency on every message of the development and held-out sets, --reps passes each, and
prints p50, p95 and max milliseconds per message: wall-clock time, and the thread's CPU time (what
the check costs when the machine is not shared; on a busy machine the wall clock also counts the
time the thread waited for a core). Target (issue 19): p95 <= 10 ms on a 2-core CPU.
"""

from __future__ import annotations

import argparse
import time


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reps", type=int, default=3, help="passes over each set")
    ap.add_argument(
        "--threads", type=int, default=2, help="torch threads (the tokenizer and table are CPU-bound)"
    )
    ap.add_argument(
        "--development-only", action="store_true", help="time the development set only (not the held-out set)"
    )
    args = ap.parse_args(argv)

    import torch

    from medassist.serve import safety_eval
    from medassist.serve.triage import check_emergency, warm_up

    torch.set_num_threads(args.threads)
    start = time.perf_counter()
    warm_up()  # loads the static table, fits the two regressions, loads the language identifier
    print(f"load once per process: {time.perf_counter() - start:.2f} s")
    sets = [("development", safety_eval.DATA), ("held-out", safety_eval.HELDOUT)]
    for name, path in sets[:1] if args.development_only else sets:
        messages = [e.message for e in safety_eval.load(path)]
        wall, cpu = [], []
        for _ in range(args.reps):
            for message in messages:
                t0, c0 = time.perf_counter(), time.thread_time()
                check_emergency(message)
                wall.append((time.perf_counter() - t0) * 1e3)
                cpu.append((time.thread_time() - c0) * 1e3)
        for label, times in (("wall", wall), ("cpu", cpu)):
            print(
                f"{name:12} {len(messages)} messages x {args.reps} {label:4}: p50 {percentile(times, 0.5):.2f} ms, "
                f"p95 {percentile(times, 0.95):.2f} ms, max {max(times):.2f} ms"
            )


if __name__ == "__main__":
    main()
