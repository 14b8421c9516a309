"""Profiles: partial params trees (profiles/NAME.yaml) merged over params.yaml.

python -m medassist.pipeline.profile smoke --set-args   # prints `-S key=value ...` for `dvc exp run`
python -m medassist.pipeline.profile smoke --write      # writes the merged tree into params.yaml
"""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import yaml

from medassist.core import MedassistError, paths
from medassist.core.cli import parser as cli_parser
from medassist.core.cli import run
from medassist.core.params import merge, parse_params


def load_profile(name: str, root: Path = Path(".")) -> dict:
    path = root / paths.PROFILES / f"{name}.yaml"
    if not path.exists():
        known = sorted(p.stem for p in (root / paths.PROFILES).glob("*.yaml"))
        raise MedassistError(f"unknown profile '{name}'; available: {', '.join(known)}")
    return yaml.safe_load(path.read_text()) or {}


def flatten(tree: dict, prefix: str = "") -> dict[str, object]:
    out = {}
    for key, value in tree.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, full + "."))
        else:
            out[full] = value
    return out


def unflatten(flat: dict) -> dict:
    tree: dict = {}
    for dotted, value in flat.items():
        node = tree
        *parents, leaf = dotted.split(".")
        for key in parents:
            node = node.setdefault(key, {})
        node[leaf] = value
    return tree


def set_args(profile: dict) -> list[str]:
    """`-S key=value` overrides for `dvc exp run` (Hydra override syntax)."""
    args = []
    for key, value in flatten(profile).items():
        if isinstance(value, list):
            value = "[" + ",".join(map(str, value)) + "]"
        elif isinstance(value, bool):
            value = str(value).lower()
        args += ["-S", f"{key}={value}"]
    return args


def merged(name: str, root: Path = Path(".")) -> dict:
    base = yaml.safe_load((root / paths.PARAMS).read_text())
    tree = merge(base, load_profile(name, root))
    parse_params(tree)  # a profile with a typo fails here, before any stage runs
    return tree


def main() -> None:
    parser = cli_parser(__doc__)
    parser.add_argument("name")
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--set-args", action="store_true")
    mode.add_argument("--write", action="store_true")
    mode.add_argument("--json", action="store_true")
    args = parser.parse_args()
    tree = merged(args.name)
    if args.set_args:
        print(shlex.join(set_args(load_profile(args.name))))
    elif args.json:
        print(json.dumps(tree))
    else:
        paths.PARAMS.write_text(yaml.safe_dump(tree, sort_keys=False))


if __name__ == "__main__":
    run(main)
