"""dvc.yaml's deps cover every module a stage runs, so a change to any of its code re-runs it.

The imports are read statically (every `import` anywhere in a file, function bodies included,
followed through the project's own modules), not by importing: a module imported lazily inside a
function counts too. A package `__init__.py` that holds no code (only a docstring) cannot change
what a stage does and needs no dep.
"""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, sh

PROJECT_PACKAGES = ("medassist", "stages")


def module_file(name: str, root: Path) -> Path | None:
    path = root.joinpath(*name.split("."))
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def imported_names(file: Path) -> set[str]:
    """Every module name a file imports (absolute imports; `from a import b` may mean module a.b)."""
    names = set()
    for node in ast.walk(ast.parse(file.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def has_code(file: Path) -> bool:
    body = ast.parse(file.read_text()).body
    return not all(isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant) for n in body)


def modules_run_by(module: str, root: Path = ROOT) -> set[Path]:
    """The project files that `python -m <module>` runs: the module, what it imports (transitively),
    and the package __init__ files on the way."""
    seen: set[Path] = set()
    todo = [module]
    while todo:
        name = todo.pop()
        if name.split(".")[0] not in PROJECT_PACKAGES:
            continue
        parts = name.split(".")
        for i in range(1, len(parts) + 1):  # importing a.b.c runs a/__init__.py and a/b/__init__.py first
            file = module_file(".".join(parts[:i]), root)
            if file is not None and file not in seen:
                seen.add(file)
                todo.extend(imported_names(file))
    return {f.relative_to(root) for f in seen if f.name != "__init__.py" or has_code(f)}


def stage_modules(dvc_yaml: dict) -> dict[str, str]:
    out = {}
    for name, stage in dvc_yaml["stages"].items():
        match = re.match(r"python -m ([\w.]+)", stage["cmd"])
        assert match, f"stage {name}: cmd {stage['cmd']!r} is not `python -m <module>`"
        out[name] = match.group(1)
    return out


def uncovered(dvc_yaml: dict, root: Path = ROOT) -> dict[str, list[str]]:
    """For each stage, the files it runs that none of its deps covers."""
    missing = {}
    for name, module in stage_modules(dvc_yaml).items():
        deps = [Path(d) for d in dvc_yaml["stages"][name]["deps"]]
        files = modules_run_by(module, root)
        gaps = sorted(str(f) for f in files if not any(f == d or d in f.parents for d in deps))
        if gaps:
            missing[name] = gaps
    return missing


@pytest.fixture(scope="module")
def dvc_yaml():
    return yaml.safe_load((ROOT / "dvc.yaml").read_text())


def test_every_module_a_stage_runs_is_in_its_deps(dvc_yaml):
    assert uncovered(dvc_yaml) == {}


def test_the_check_finds_a_missing_dep(dvc_yaml):
    """The test above can fail: without medassist/model, train's model code is uncovered."""
    dvc_yaml["stages"]["train"]["deps"].remove("medassist/model")
    gaps = uncovered(dvc_yaml)
    assert "medassist/model/attention.py" in gaps["train"]  # the attention every training step runs
    assert "medassist/model/training.py" in gaps["train"]
    assert modules_run_by("stages.train") >= {
        Path("medassist/model/gguf.py"),
        Path("medassist/core/paths.py"),
    }


def test_lazy_imports_count(tmp_path):
    pkg = tmp_path / "medassist"
    pkg.mkdir()
    (pkg / "__init__.py").write_text('"""No code."""\n')
    (pkg / "a.py").write_text("def f():\n    from medassist import b\n")
    (pkg / "b.py").write_text("X = 1\n")
    assert modules_run_by("medassist.a", tmp_path) == {Path("medassist/a.py"), Path("medassist/b.py")}


def test_code_changes_rerun_the_stage_and_bytecode_does_not(trained_project, tmp_path):
    """Real DVC on a trained project: compiled bytecode in a dep folder leaves train up to date
    (.dvcignore), an edit to a module train imports makes it stale."""
    proj = tmp_path / "proj"
    shutil.copytree(trained_project, proj, symlinks=True)
    sh("python -m compileall -q medassist", proj)
    assert "changed" not in sh("dvc status train", proj).stdout
    with (proj / "medassist/model/attention.py").open("a") as fh:
        fh.write("\n# an edit\n")
    status = sh("dvc status train", proj).stdout
    assert "modified:" in status and "medassist/model" in status
