"""clean + split at the real dataset's size: time and peak memory at 8.5k, 17k and 34k rows.

    python -m benchmarks.split_scale [--rows 8500,17000,33955] [--out metrics/split_scale.json]

The real Medical Meadow file cannot be fetched here, so `synthetic_flashcards` writes a deterministic
stand-in in the raw schema: questions of ~15 words from question templates, answers of ~50 words,
content words drawn from a Zipf law over ~30k word types (the sample's own words first), and planted
paraphrase groups (12% of facts get 1-3 more cards: the question from another template with the same
subject, the answer reworded: ~15% of its words replaced or dropped, or ~40% for 3 in 10 cards, clauses
reordered).
For each size the real stage scripts run (`python -m stages.clean`, then `python -m stages.split`,
params.yaml with data.n_samples 0, i.e. all rows) in a scratch project, each in a fresh process;
reported: wall time and peak RSS (ru_maxrss) of each stage, groups found, planted groups recovered
whole, and the leakage the split measures. docs/benchmarks.md has the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from benchmarks.common import PARAMS, ROOT, SAMPLE

TEMPLATES = [
    "What is the {a} of {s}?",
    "What are the {a} of {s}?",
    "Which {a} is associated with {s}?",
    "How does {s} affect the {a}?",
    "What is the most common {a} in patients with {s}?",
    "In {s}, what is the typical {a}?",
    "What {a} is characteristic of {s}, and why?",
    "Describe the {a} seen in {s}.",
    "What is the first-line {a} for {s}?",
    "Why is {s} linked to {a}?",
]
ASPECTS = (
    "mechanism cause treatment presentation complication inheritance pathophysiology diagnosis "
    "prognosis finding investigation risk factor side effect antidote dose marker feature sign"
).split()
STOP = "the of and is in a to with by which that as for or are it from on at be an".split()


def _vocabulary(rng: random.Random, size: int = 30000) -> list[str]:
    cards = [json.loads(line) for line in SAMPLE.open()]
    words = sorted({w.lower() for r in cards for w in re.findall(r"[A-Za-z]{4,}", str(r.get("output")))})
    syllables = [
        "ba",
        "co",
        "di",
        "fe",
        "gi",
        "ho",
        "ju",
        "ka",
        "li",
        "mo",
        "nu",
        "pa",
        "ri",
        "sa",
        "te",
        "vo",
        "xy",
        "zo",
    ]
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 5))) + rng.choice(
            ["", "in", "ase", "itis", "ol"]
        )
        if word not in seen:
            seen.add(word)
            words.append(word)
    rng.shuffle(words)
    return words


def synthetic_flashcards(n_rows: int, seed: int = 0) -> tuple[list[dict], list[list[int]]]:
    """(raw rows, planted paraphrase groups as row indices), deterministic for (n_rows, seed)."""
    rng = random.Random(seed)
    vocab = _vocabulary(rng)
    weights = [1 / (rank + 1) ** 1.05 for rank in range(len(vocab))]
    cumulative = []
    total = 0.0
    for w in weights:
        total += w
        cumulative.append(total)

    def words(k):
        return rng.choices(vocab, cum_weights=cumulative, k=k)

    def answer(subject, aspect):
        clauses = []
        for _ in range(rng.randint(4, 7)):
            body = [w if rng.random() < 0.65 else rng.choice(STOP) for w in words(rng.randint(6, 12))]
            clauses.append(" ".join(body))
        clauses[0] = f"{subject.capitalize()} {aspect} {clauses[0]}"
        return "; ".join(clauses) + "."

    def reword(text, heavy):
        clauses = text.rstrip(".").split("; ")
        if len(clauses) > 2:
            clauses[1:] = rng.sample(clauses[1:], len(clauses) - 1)
        out = []
        for w in " ".join(clauses).split(" "):
            r = rng.random()
            if r < (0.1 if heavy else 0.07):
                continue
            out.append(words(1)[0] if r < (0.3 if heavy else 0.15) else w)
        return " ".join(out) + "."

    rows, planted = [], []
    while len(rows) < n_rows:
        subject = " ".join(words(rng.randint(1, 2)))
        aspect = rng.choice(ASPECTS)
        templates = rng.sample(TEMPLATES, 4)
        setting = " ".join(words(rng.randint(2, 6)))  # questions of ~15 words, like the real ones
        subject = f"{subject} in the setting of {setting}"
        base = {"question": templates[0].format(a=aspect, s=subject), "answer": answer(subject, aspect)}
        group = [base]
        if rng.random() < 0.12:
            for t in templates[1 : 1 + rng.randint(1, 3)]:
                heavy = rng.random() < 0.3  # answer overlap ~0.4: decided by the question embedding
                group.append(
                    {"question": t.format(a=aspect, s=subject), "answer": reword(base["answer"], heavy)}
                )
        group = group[: n_rows - len(rows)]
        if len(group) > 1:
            planted.append(list(range(len(rows), len(rows) + len(group))))
        rows += [
            {"instruction": "Answer this question truthfully", "input": c["question"], "output": c["answer"]}
            for c in group
        ]
    return rows, planted


def _stage(project: Path, stage: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", f"stages.{stage}"], cwd=project, env=env, capture_output=True, text=True
    )
    wall = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit(f"stages.{stage} failed:\n{proc.stderr[-2000:]}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # children so far: the caller subtracts
    return {
        "seconds": round(wall, 1),
        "cpu_seconds_so_far": round(usage.ru_utime + usage.ru_stime, 1),
        "peak_rss_mb_so_far": round(usage.ru_maxrss / 1024),  # the largest child so far
        "stdout": proc.stdout.strip(),
    }


def run_size(n_rows: int, seed: int) -> dict:
    rows, planted = synthetic_flashcards(n_rows, seed)
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        params = yaml.safe_load(PARAMS.read_text())
        params["data"].update(source="data/raw/flashcards.jsonl", n_samples=0)
        (project / "params.yaml").write_text(yaml.safe_dump(params))
        (project / "data" / "raw").mkdir(parents=True)
        with (project / "data" / "raw" / "flashcards.jsonl").open("w") as fh:
            fh.writelines(json.dumps(r) + "\n" for r in rows)
        result = {"rows": n_rows, "planted_groups": len(planted)}
        cpu = 0.0
        for stage in ("clean", "split"):
            result[stage] = _stage(project, stage)
            result[stage]["cpu_seconds"] = round(result[stage].pop("cpu_seconds_so_far") - cpu, 1)
            cpu += result[stage]["cpu_seconds"]
        metrics = json.loads((project / "metrics" / "split.json").read_text())
        side = {}
        for name in ("train", "eval"):
            for line in (project / "data" / "split" / f"{name}.jsonl").open():
                side[json.loads(line)["question"]] = name
        questions = [[rows[i]["input"] for i in g] for g in planted]
        straddle = sum(len({side[q] for q in g if q in side}) > 1 for g in questions)
    result.update(
        split_metrics={k: v for k, v in metrics.items() if k != "leakage_examples"},
        planted_groups_straddling=straddle,
        total_seconds=round(result["clean"]["seconds"] + result["split"]["seconds"], 1),
    )
    return result


CHILD = "import json; from benchmarks.split_scale import run_size"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="8500,17000,33955")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    results = []
    for n in map(int, args.rows.split(",")):
        # one fresh interpreter per size: ru_maxrss of RUSAGE_CHILDREN is then this size's own peak
        proc = subprocess.run(
            [sys.executable, "-c", f"{CHILD}; print(json.dumps(run_size({n}, {args.seed})))"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if proc.returncode:
            raise SystemExit(proc.stderr[-3000:])
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        results.append(result)
        m = result["split_metrics"]
        print(
            f"{n:6d} rows: clean {result['clean']['seconds']:5.1f} s ({result['clean']['cpu_seconds']} s CPU), "
            f"split {result['split']['seconds']:5.1f} s ({result['split']['cpu_seconds']} s CPU), "
            f"peak RSS {result['split']['peak_rss_mb_so_far']} MB; {m['groups']} groups, largest "
            f"{m['largest_group']}, {m['questions_embedded']} questions embedded; planted groups "
            f"{result['planted_groups']}, straddling {result['planted_groups_straddling']}; "
            f"leakage {100 * m['leakage']:.2f}% (median nearest cosine {m['nearest_train_cosine_median']})",
            flush=True,
        )
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
