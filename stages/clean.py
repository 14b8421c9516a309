"""clean: data/raw -> data/clean/flashcards.jsonl ({question, answer}) + metrics/clean.json.

The rules are medassist.data.clean's (normalised text; rows dropped when empty, duplicated or
overlong). The report accounts for every input row: rows_in == rows_kept + sum(dropped.values()).
"""

from medassist.core import paths
from medassist.core.cli import run
from medassist.core.io import read_jsonl, write_json, write_jsonl
from medassist.core.params import load_params
from medassist.data.clean import DROP_REASONS, clean_rows


def main() -> None:
    params = load_params().clean
    rows = read_jsonl(paths.RAW)
    kept, dropped, truncated = clean_rows(
        rows, params.max_question_words, params.max_answer_words, params.overlong
    )
    report = {
        "rows_in": len(rows),
        "rows_kept": len(kept),
        "dropped": {reason: dropped[reason] for reason in DROP_REASONS},
        "answers_truncated": truncated,
    }
    assert report["rows_in"] == report["rows_kept"] + sum(report["dropped"].values())
    write_jsonl(paths.CLEAN, kept)
    write_json(paths.CLEAN_METRICS, report)
    print(f"clean: kept {len(kept)} of {len(rows)} rows; dropped {dict(dropped)}; truncated {truncated}")


if __name__ == "__main__":
    run(main, __doc__)
