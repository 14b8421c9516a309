"""The demo's settings: from environment variables, checked before anything loads.

    PORT               port to listen on (default 7860)
    DEMO_HOST          interface to bind (default 127.0.0.1: this machine only)
    SHARE=1            also open a public *.gradio.live link (off unless set)
    DEMO_AUTH          "user:password": require HTTP basic auth (and use it as the API key)
    EMERGENCY_NUMBER   the number emergency replies tell users to call (default 911)
    CRISIS_LINE        the crisis line self-harm replies name (default: the US 988 Lifeline)
    DEMO_ADAPTER       adapter directory (default models/adapter)
    DEMO_STATS=1       expose /stats (request counters, no text) for tests and monitoring
    ENGINE             transformers | llamacpp | auto (default): what runs the model (choose_engine)
    GGUF_FILE          the GGUF file ENGINE=llamacpp serves (default: the one models/gguf/Modelfile
                       serves, medassist-q4_k_m.gguf by default); it must be a file of a `make gguf`
                       export of the adapter served

And the limits of what one request may ask of the model, shared by the page and the API.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from medassist.core import MedassistError, paths

DEFAULT_MAX_NEW_TOKENS = 256  # eval.max_new_tokens of the reference setup
MAX_NEW_TOKENS_LIMIT = 1024
MAX_TEMPERATURE = 1.5
MAX_PENALTY = 2.0  # OpenAI's range for frequency_penalty and presence_penalty: [-2, 2]
ENGINES = ("auto", "transformers", "llamacpp")


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 7860
    share: bool = False
    auth: tuple[str, str] | None = None
    emergency_number: str = "911"
    crisis_line: str = ""
    adapter: Path = paths.ADAPTER
    stats: bool = False
    engine: str = "auto"
    gguf_file: Path | None = None


def _flag(env: Mapping[str, str], name: str) -> bool:
    value = env.get(name, "").strip().lower()
    if value in ("", "0", "false", "no", "off"):
        return False
    if value in ("1", "true", "yes", "on"):
        return True
    raise MedassistError(f"{name}={env[name]!r}: expected 1 or 0")


def settings_from_env(env: Mapping[str, str] = os.environ) -> Settings:
    port_text = env.get("PORT", "").strip() or "7860"
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise MedassistError(f"PORT={port_text!r}: expected a port number between 1 and 65535")
    auth = None
    if env.get("DEMO_AUTH"):
        user, sep, password = env["DEMO_AUTH"].partition(":")
        if not sep or not user or not password:
            raise MedassistError("DEMO_AUTH must look like user:password (both non-empty)")
        auth = (user, password)
    engine = env.get("ENGINE", "").strip().lower() or "auto"
    if engine not in ENGINES:
        raise MedassistError(f"ENGINE={env['ENGINE']!r}: expected one of {', '.join(ENGINES)}")
    return Settings(
        host=env.get("DEMO_HOST", "").strip() or "127.0.0.1",
        port=int(port_text),
        share=_flag(env, "SHARE"),
        auth=auth,
        emergency_number=env.get("EMERGENCY_NUMBER", "").strip() or "911",
        crisis_line=env.get("CRISIS_LINE", "").strip(),
        adapter=Path(env.get("DEMO_ADAPTER", "").strip() or paths.ADAPTER),
        stats=_flag(env, "DEMO_STATS"),
        engine=engine,
        gguf_file=Path(env["GGUF_FILE"].strip()) if env.get("GGUF_FILE", "").strip() else None,
    )


# --------------------------------------------------------------------------------------------
# The engine: transformers on base + adapter, or llama.cpp on a GGUF export of that adapter


@dataclass(frozen=True)
class Engine:
    name: str  # "transformers" or "llamacpp"
    reason: str  # why this engine (one line)
    gguf: Path | None = None  # the file llama.cpp serves
    kind: str | None = None  # its name in the export: "f16", "q8_0", "q4_k_m"
    gate: dict | None = None  # the export's gate.json


def _served_file(export: Path, files: dict) -> Path:
    """The file the export's Modelfile serves (FROM ./...), else Q4_K_M, else the last quant."""
    modelfile = export / "Modelfile"
    found = re.search(r"^FROM \./(\S+)\s*$", modelfile.read_text(), re.M) if modelfile.is_file() else None
    if found:
        return export / found.group(1)
    return export / files.get("q4_k_m", list(files.values())[-1])


def gguf_engine(gguf_file: Path | None, adapter_digest: str) -> Engine:
    """llama.cpp on a GGUF export of the adapter whose weights' sha256 starts with ``adapter_digest``;
    a MedassistError (one line, saying what to run) when that cannot be served. Nothing is loaded."""
    from medassist.model.llamacpp import require_llama_cpp
    from medassist.share.gguf_export import GATE, MARKER, OUT

    require_llama_cpp()
    export = gguf_file.parent if gguf_file is not None else OUT
    marker = export / MARKER
    if not marker.is_file():
        raise MedassistError(f"no GGUF export in {export} ({MARKER} missing): run `make gguf` to make one")
    record = json.loads(marker.read_text())
    files = record.get("files") or {}
    path = gguf_file or _served_file(export, files)
    kinds = {name: kind for kind, name in files.items()}
    if path.name not in kinds or not path.is_file():
        raise MedassistError(
            f"{path} is not a file of the GGUF export in {export} (it has {', '.join(files.values())}): "
            "set GGUF_FILE to one of them, or run `make gguf`"
        )
    if record.get("adapter_sha256_12") != adapter_digest:
        raise MedassistError(
            f"the GGUF export in {export} was made from another adapter (weights sha256 "
            f"{record.get('adapter_sha256_12')}, the served adapter's is {adapter_digest}): "
            "run `make gguf` again, or serve with ENGINE=transformers"
        )
    gate = json.loads((export / GATE).read_text()) if (export / GATE).is_file() else None
    return Engine("llamacpp", "", path, kinds[path.name], gate)


def choose_engine(settings: Settings, adapter_digest: str, cuda: bool | None = None) -> Engine:
    """The engine ENGINE asks for, checked before anything loads. auto: llama.cpp when there is no
    CUDA GPU, llama-cpp-python is installed and a GGUF export of this adapter passed its gate;
    transformers otherwise. ENGINE=llamacpp refuses, in one line, what auto passes over."""
    if settings.engine == "transformers":
        return Engine("transformers", "ENGINE=transformers")
    if settings.engine == "llamacpp":
        try:
            engine = gguf_engine(settings.gguf_file, adapter_digest)
        except MedassistError as exc:
            raise MedassistError(f"ENGINE=llamacpp: {exc}") from None
        return replace(engine, reason="ENGINE=llamacpp")
    if cuda is None:
        import torch

        cuda = torch.cuda.is_available()
    if cuda:
        return Engine("transformers", "auto: a CUDA GPU is here")
    try:
        engine = gguf_engine(settings.gguf_file, adapter_digest)
    except MedassistError as exc:
        return Engine("transformers", f"auto: not llama.cpp, {exc}")
    if not (engine.gate or {}).get("passed"):
        return Engine("transformers", f"auto: the gate of {engine.gguf.parent} did not pass")
    return replace(engine, reason="auto: no CUDA GPU, and a GGUF export of this adapter passed its gate")
