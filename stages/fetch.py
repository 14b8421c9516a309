"""fetch: data.source (a Hugging Face dataset id or a local file) -> data/raw/flashcards.jsonl.

The report (metrics/fetch.json) records where the rows came from: for the hub, the resolved
commit hash of data.revision, so every run is traceable.
"""

import hashlib
from pathlib import Path

from medassist.cli import run
from medassist.data import load_source
from medassist.io import write_json, write_jsonl
from medassist.params import load_params

RAW = Path("data/raw/flashcards.jsonl")
REPORT = Path("metrics/fetch.json")


def main() -> None:
    params = load_params().data
    rows, origin = load_source(params.source, params.revision)
    write_jsonl(RAW, rows)
    write_json(
        REPORT,
        {**origin, "rows": len(rows), "sha256": hashlib.sha256(RAW.read_bytes()).hexdigest()},
    )
    print(f"fetch: {len(rows)} rows from {params.source} -> {RAW}")


if __name__ == "__main__":
    run(main)
