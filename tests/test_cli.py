"""Every stage and entry point answers --help with its usage and does nothing else."""

from __future__ import annotations

import pytest
from conftest import ROOT, run_env, sh

ENTRY_POINTS = [
    "stages.fetch",
    "stages.clean",
    "stages.split",
    "stages.train",
    "stages.evaluate",
    "stages.compare",
    "medassist.serve",
    "medassist.share.export",
    "medassist.share.remote",
    "medassist.serve.safety_eval",
    "medassist.pipeline.profile",
    "medassist.pipeline.experiments",
]


@pytest.mark.parametrize("module", ENTRY_POINTS)
def test_help_prints_usage_and_does_nothing_else(module, tmp_path):
    env = run_env()
    # PORT=1: a server start would fail
    env.update(PYTHONPATH=str(ROOT), HOME=str(tmp_path / "home"), PORT="1")
    proc = sh(f"python -m {module} --help", tmp_path, env=env, timeout=300)
    assert proc.stdout.startswith(f"usage: python -m {module}"), proc.stdout[:300]
    assert len(proc.stdout.splitlines()) > 3  # the docstring: what it does, not only the usage line
    # nothing written: no outputs, no cache, no config
    assert (
        list(tmp_path.iterdir()) == []
        or [p.name for p in tmp_path.iterdir()] == ["home"]
        and not any((tmp_path / "home").rglob("*"))
    )


def test_a_stage_refuses_an_unknown_argument(tmp_path):
    env = run_env()
    env.update(PYTHONPATH=str(ROOT))
    proc = sh("python -m stages.train --epochs 3", tmp_path, env=env, check=False, timeout=300)
    assert proc.returncode == 2 and "unrecognized arguments: --epochs 3" in proc.stderr
    assert list(tmp_path.iterdir()) == []
