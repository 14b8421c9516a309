"""fetch: data.source (a Hugging Face dataset id or a local file) -> data/raw/flashcards.jsonl.

The report (metrics/fetch.json) records where the rows came from: for the hub, the resolved
commit hash of data.revision, so every run is traceable.
"""

from medassist.core import paths
from medassist.core.cli import run
from medassist.core.io import file_digest, write_json, write_jsonl
from medassist.core.params import load_params
from medassist.data.source import load_source


def main() -> None:
    params = load_params().data
    rows, origin = load_source(params.source, params.revision)
    write_jsonl(paths.RAW, rows)
    write_json(paths.FETCH_METRICS, {**origin, "rows": len(rows), "sha256": file_digest(paths.RAW)})
    print(f"fetch: {len(rows)} rows from {params.source} -> {paths.RAW}")


if __name__ == "__main__":
    run(main, __doc__)
