"""Entry-point helper: user-facing errors become one line on stderr and exit status 2."""

from __future__ import annotations

import sys
from collections.abc import Callable

from medassist import MedassistError


def run(main: Callable[[], None]) -> None:
    try:
        main()
    except MedassistError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
