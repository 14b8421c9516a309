"""Grouped cross-validation of the emergency triage: how it does on writing it never saw.

    python -m benchmarks.triage_cv [--folds 5] [--thresholds 0.5 0.6 0.7 0.8 0.9] [--show]

The development set (medassist/serve/safety_eval.jsonl) holds seven authors' messages:

* A, lines 1-671: the first round's development set;
* B, lines 672-1096: the first round's held-out set (a second writer who never saw the rules);
* C, lines 1097-1583: the second held-out set (a third writer, moved in for round 4);
* D, lines 1584-2114: the third held-out set (a fourth writer, moved in for round 5);
* E, lines 2115-2673: the fourth held-out set (a fifth writer, moved in for round 6);
* F, lines 2674-3228: the fifth held-out set (a sixth writer, moved in for round 7);
* G, lines 3229-3796: the sixth held-out set (a seventh writer, moved in for round 8).

For each split the semantic layer and the framing model (the second opinion on tier-1 hits) are
fitted on the training authors' rows only (English, and the glossed languages' rows as glossed), and
the whole pipeline (language, gloss, rules, framing gates,
semantic layer) is scored on the test author's rows: A+B+C->D, A+B+D->C, A+C+D->B, B+C+D->A, then
k-fold over all lines.

Only the learned layer is cross-validated: the rules and framing gates were written with A, B and C
in view (and, from round 5, D), so only A+B+C->D measured before round 5's rule changes was honest for
the whole pipeline; the other splits are optimistic for the rules. Recall counts tier 1, tier 2
and (for a language the assistant does not read) the language reply. ``--show`` prints each
split's misses and false alarms at the first threshold.
"""

from __future__ import annotations

import argparse
import json

import numpy as np

from medassist.serve.safety_eval import DATA, TIER1
from medassist.serve.triage import LANGUAGES_READ, check_rules, semantic_score
from medassist.serve.triage.match import EmergencyMatch
from medassist.serve.triage.semantic import Framing, Layer, framing_inputs, layer_inputs, read_rows

AUTHORS = {
    "A": (0, 671),
    "B": (671, 1096),
    "C": (1096, 1583),
    "D": (1583, 2114),
    "E": (2114, 2673),
    "F": (2673, 3228),
    "G": (3228, 3796),
}  # 0-based [start, end) line ranges


def splits(rows: list[dict], folds: int, seed: int = 0):
    every = range(len(rows))
    for test_author, (start, end) in reversed(AUTHORS.items()):
        train = "+".join(a for a in AUTHORS if a != test_author)
        test = [i for i in every if start <= i < end]
        held = set(test)
        yield f"{train}->{test_author}", [i for i in every if i not in held], test
    order = np.random.RandomState(seed).permutation(len(rows))
    for k in range(folds):
        test = sorted(order[k::folds].tolist())
        held = set(test)
        yield f"{folds}-fold", [i for i in every if i not in held], test


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--thresholds", type=float, nargs="+", default=[0.5, 0.6, 0.7, 0.8, 0.9])
    ap.add_argument("--show", action="store_true", help="print misses and false alarms (first threshold)")
    args = ap.parse_args(argv)

    from medassist.model.static_embedding import get_static

    encoder = get_static()
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    results: dict[str, list[tuple[int, float, EmergencyMatch | None]]] = {}
    for name, train, test in splits(rows, args.folds):
        texts, labels = read_rows([rows[i] for i in train])
        layer = Layer(encoder, *layer_inputs(texts, labels))
        framing = Framing(*framing_inputs(texts, labels))
        for i in test:
            scored = semantic_score(rows[i]["message"], layer)
            match = check_rules(rows[i]["message"], framing)
            results.setdefault(name, []).append((i, -1.0 if scored is None else scored[0], match))

    print("split           threshold  recall  (in tier 1)  tier-1 FA  tier-2 FA  (urgent / benign)")
    for name, scored in results.items():
        for n, threshold in enumerate(args.thresholds):
            urgent = benign = caught = first_urgent = tier1 = tier2 = 0
            shown = []
            for i, p, match in scored:
                row = rows[i]
                first = match is not None and match.kind in TIER1
                second = not first and (
                    (match is not None and match.kind == "possible_emergency") or p >= threshold
                )
                if row["label"] == "benign":
                    benign += 1
                    tier1 += first
                    tier2 += second
                    if first or second:
                        shown.append(
                            f"  FA {'t1' if first else 't2'} {i + 1} [{row['category']}] {row['message']}"
                        )
                else:
                    urgent += 1
                    language = match is not None and match.kind == "language"
                    hit = first or second or (language and row.get("lang", "en") not in LANGUAGES_READ)
                    caught += hit
                    first_urgent += first
                    if not hit:
                        shown.append(f"  miss {i + 1} [{row['category']}] p={p:.2f} {row['message']}")
            print(
                f"{name:15} {threshold:9.2f}  {caught / urgent:6.1%}  ({first_urgent / urgent:6.1%})  "
                f"{tier1 / benign:8.1%}  {tier2 / benign:8.1%}  ({urgent} / {benign})"
            )
            if args.show and n == 0 and not name.endswith("fold"):
                print("\n".join(shown))


if __name__ == "__main__":
    main()
