"""Reading flashcards from the hub or from local files (shared by fetch and the benchmarks)."""

from __future__ import annotations

import json
from pathlib import Path

from medassist.core import MedassistError

LOCAL_FORMATS = (".json", ".jsonl", ".csv", ".parquet")
RAW_COLUMNS = ("instruction", "input", "output")


def _read_local(path: Path) -> list[dict]:
    import pandas as pd

    suffix = path.suffix.lower()
    try:
        if suffix == ".jsonl":
            rows = [
                json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
            ]
        elif suffix == ".json":
            rows = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(rows, dict) and isinstance(rows.get("data"), list):
                rows = rows["data"]
            if not isinstance(rows, list):
                raise MedassistError(f"{path}: expected a JSON list of objects")
        elif suffix == ".csv":
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
            rows = frame.to_dict("records")
        else:
            rows = pd.read_parquet(path).to_dict("records")
    except (ValueError, OSError) as exc:
        raise MedassistError(f"cannot read {path}: {exc}") from None
    if not all(isinstance(r, dict) for r in rows):
        raise MedassistError(f"{path}: every record must be an object with {', '.join(RAW_COLUMNS)}")
    return rows


def _check_schema(rows: list[dict], where: str) -> list[dict]:
    if rows and not any("input" in r and "output" in r for r in rows):
        found = sorted(rows[0])
        raise MedassistError(
            f"{where}: no 'input'/'output' columns (found {found}); expected the "
            f"medical_meadow_medical_flashcards schema {list(RAW_COLUMNS)}"
        )
    return [{key: r.get(key) for key in RAW_COLUMNS} for r in rows]


def _read_hub(dataset_id: str, revision: str) -> tuple[list[dict], str]:
    from huggingface_hub import HfApi
    from huggingface_hub.errors import (
        HfHubHTTPError,
        OfflineModeIsEnabled,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    try:
        commit = HfApi().dataset_info(dataset_id, revision=revision, timeout=20).sha
        import datasets

        table = datasets.load_dataset(dataset_id, revision=commit, split="train")
    except RepositoryNotFoundError:
        raise MedassistError(
            f"dataset '{dataset_id}' (revision {revision}) not found on the Hugging Face Hub"
        ) from None
    except RevisionNotFoundError:  # an HfHubHTTPError too: caught before "cannot reach the Hub"
        raise MedassistError(
            f"revision '{revision}' not found in dataset '{dataset_id}' on the Hugging Face Hub; "
            "set data.revision to one of its branches, tags or commit hashes (default: main)"
        ) from None
    except (OfflineModeIsEnabled, HfHubHTTPError, OSError, ConnectionError) as exc:
        raise MedassistError(
            f"cannot reach the Hugging Face Hub for dataset '{dataset_id}' ({type(exc).__name__}). "
            "Offline? Run the offline profile (`make smoke`), or set data.source to a local "
            f".json/.jsonl/.csv/.parquet file with {', '.join(RAW_COLUMNS)} columns"
        ) from None
    return [dict(r) for r in table], commit


def load_source(source: str, revision: str) -> tuple[list[dict], dict]:
    """Rows in the raw schema, plus a description of their origin for the report."""
    path = Path(source)
    if path.suffix.lower() in LOCAL_FORMATS or path.exists():
        if not path.is_file():
            raise MedassistError(f"data.source: local file {source} not found")
        if path.suffix.lower() not in LOCAL_FORMATS:
            raise MedassistError(f"data.source: {source} must be one of {', '.join(LOCAL_FORMATS)}")
        rows = _check_schema(_read_local(path), source)
        return rows, {"source": source, "kind": "local"}
    if source.count("/") != 1:
        raise MedassistError(
            f"data.source '{source}' is neither an existing local file nor a hub id like 'owner/name'"
        )
    rows, commit = _read_hub(source, revision)
    rows = _check_schema(rows, source)
    return rows, {"source": source, "kind": "hub", "revision": revision, "resolved_commit": commit}
