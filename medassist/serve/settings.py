"""The demo's settings: from environment variables, checked before anything loads.

    PORT               port to listen on (default 7860)
    DEMO_HOST          interface to bind (default 127.0.0.1: this machine only)
    SHARE=1            also open a public *.gradio.live link (off unless set)
    DEMO_AUTH          "user:password": require HTTP basic auth (and use it as the API key)
    EMERGENCY_NUMBER   the number emergency replies tell users to call (default 911)
    CRISIS_LINE        the crisis line self-harm replies name (default: the US 988 Lifeline)
    DEMO_ADAPTER       adapter directory (default models/adapter)
    DEMO_STATS=1       expose /stats (request counters, no text) for tests and monitoring

And the limits of what one request may ask of the model, shared by the page and the API.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from medassist.core import MedassistError, paths

DEFAULT_MAX_NEW_TOKENS = 256  # eval.max_new_tokens of the reference setup
MAX_NEW_TOKENS_LIMIT = 1024
MAX_TEMPERATURE = 1.5
MAX_PENALTY = 2.0  # OpenAI's range for frequency_penalty and presence_penalty: [-2, 2]


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
    return Settings(
        host=env.get("DEMO_HOST", "").strip() or "127.0.0.1",
        port=int(port_text),
        share=_flag(env, "SHARE"),
        auth=auth,
        emergency_number=env.get("EMERGENCY_NUMBER", "").strip() or "911",
        crisis_line=env.get("CRISIS_LINE", "").strip(),
        adapter=Path(env.get("DEMO_ADAPTER", "").strip() or paths.ADAPTER),
        stats=_flag(env, "DEMO_STATS"),
    )
