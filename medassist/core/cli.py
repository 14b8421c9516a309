"""Entry points: `--help` prints the module's usage and does nothing else; user-facing errors
become one line on stderr and exit status 2."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from medassist.core import MedassistError


def parser(doc: str | None) -> argparse.ArgumentParser:
    """An argument parser whose --help shows the entry point's docstring, as written."""
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    prog = f"python -m {spec.name}" if spec is not None else None
    return argparse.ArgumentParser(
        prog=prog, description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )


def run(main: Callable[[], None], doc: str | None = None) -> None:
    """Run `main`. With `doc` (an entry point that takes no arguments), the command line is parsed
    first: `--help` prints `doc` and exits, an unknown argument is an error, before any work."""
    if doc is not None:
        parser(doc).parse_args()
    try:
        main()
    except MedassistError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
