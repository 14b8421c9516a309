"""`make safety-eval`: how well the emergency triage in medassist.serve.safety does on a labelled set.

    python -m medassist.serve.safety_eval                       # the bundled set
    python -m medassist.serve.safety_eval --data my_set.jsonl   # another set in the same format

The set (medassist/safety_eval.jsonl) holds one JSON object a line: ``message``, ``label``
("emergency", "self_harm" or "benign"), ``category`` (what kind of message it is, e.g.
"gi_bleeding", "negation", "exam_vignette") and, for non-English messages, ``lang``.

Printed: recall on emergencies and self-harm (a message counts as caught when it gets the
emergency or crisis reply, or, in a language the rules do not read, the plain-words reply that
tells the writer to call their local number), the false-alarm rate on benign messages (an
emergency or crisis reply to a benign message), both per category, every miss and every false
alarm, and the time per message.  The exit status is 1 when the figures fall below the targets.
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from medassist.core.cli import parser as cli_parser
from medassist.serve.safety import LANGUAGES_READ, check_emergency

DATA = Path(__file__).with_name("safety_eval.jsonl")
LABELS = ("emergency", "self_harm", "benign")
MIN_RECALL = 0.99
MAX_FALSE_ALARMS = 0.02


@dataclass(frozen=True)
class Example:
    message: str
    label: str
    category: str
    lang: str = "en"


@dataclass
class Report:
    caught: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    urgent: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    alarms: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    benign: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    misses: list[Example] = field(default_factory=list)
    false_alarms: list[tuple[Example, str]] = field(default_factory=list)
    seconds_per_message: float = 0.0

    @property
    def recall(self) -> float:
        return sum(self.caught.values()) / max(1, sum(self.urgent.values()))

    @property
    def false_alarm_rate(self) -> float:
        return sum(self.alarms.values()) / max(1, sum(self.benign.values()))

    def passes(self) -> bool:
        return self.recall >= MIN_RECALL and self.false_alarm_rate <= MAX_FALSE_ALARMS


def load(path: Path = DATA) -> list[Example]:
    """Read a labelled set; a malformed line is an error naming its line number."""
    examples = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            example = Example(row["message"], row["label"], row["category"], row.get("lang", "en"))
        except (ValueError, KeyError, TypeError) as err:
            raise ValueError(f"{path}:{number}: expected message, label, category: {err}") from err
        if example.label not in LABELS:
            raise ValueError(f"{path}:{number}: label {example.label!r} is not one of {LABELS}")
        examples.append(example)
    return examples


def is_caught(example: Example) -> bool:
    """Whether the triage gives this urgent message a reply that sends the writer to help."""
    match = check_emergency(example.message)
    if match is None:
        return False
    return match.kind in ("emergency", "self_harm") or (
        match.kind == "language" and example.lang not in LANGUAGES_READ
    )


def is_false_alarm(example: Example) -> str | None:
    """The category of the emergency/crisis reply wrongly given to a benign message, else None."""
    match = check_emergency(example.message)
    return match.category if match is not None and match.kind in ("emergency", "self_harm") else None


def evaluate(examples: list[Example]) -> Report:
    report = Report()
    for example in examples:
        if example.label == "benign":
            report.benign[example.category] += 1
            alarm = is_false_alarm(example)
            if alarm is not None:
                report.alarms[example.category] += 1
                report.false_alarms.append((example, alarm))
        else:
            report.urgent[example.category] += 1
            if is_caught(example):
                report.caught[example.category] += 1
            else:
                report.misses.append(example)
    start = time.perf_counter()
    for example in examples:
        check_emergency(example.message)
    report.seconds_per_message = (time.perf_counter() - start) / max(1, len(examples))
    return report


def format_report(report: Report, examples: int) -> str:
    lines = [
        f"{examples} messages: {sum(report.urgent.values())} emergencies/self-harm, "
        f"{sum(report.benign.values())} benign",
        f"recall on emergencies: {report.recall:.1%} ({sum(report.caught.values())}/{sum(report.urgent.values())}), "
        f"target >= {MIN_RECALL:.0%}",
        f"false alarms on benign: {report.false_alarm_rate:.1%} "
        f"({sum(report.alarms.values())}/{sum(report.benign.values())}), target <= {MAX_FALSE_ALARMS:.0%}",
        f"time per message: {report.seconds_per_message * 1e6:.0f} us",
        "",
        "per category:",
    ]
    for category, total in sorted(report.urgent.items()):
        lines.append(f"  {category:24} recall      {report.caught[category]:3}/{total}")
    for category, total in sorted(report.benign.items()):
        lines.append(f"  {category:24} false alarm {report.alarms[category]:3}/{total}")
    lines.append("")
    lines.append(f"misses ({len(report.misses)}):")
    lines += [f"  [{e.category}] {e.message}" for e in report.misses]
    lines.append(f"false alarms ({len(report.false_alarms)}):")
    lines += [f"  [{e.category} -> {alarm}] {e.message}" for e, alarm in report.false_alarms]
    lines.append("PASS" if report.passes() else "FAIL: below target")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = cli_parser(__doc__)
    parser.add_argument(
        "--data", type=Path, default=DATA, help="labelled JSONL set (default: the bundled one)"
    )
    args = parser.parse_args(argv)
    examples = load(args.data)
    report = evaluate(examples)
    print(format_report(report, len(examples)))
    return 0 if report.passes() else 1


if __name__ == "__main__":
    sys.exit(main())
