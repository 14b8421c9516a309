import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TINY = ROOT / "tests" / "fixtures" / "tiny-llama"
SMOLLM2 = yaml.safe_load((ROOT / "profiles" / "smoke.yaml").read_text())["model"][
    "base"
]  # the real offline model

sys.path.insert(0, str(ROOT))


def run_env() -> dict:
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env['PATH']}"
    env.update(
        HF_HUB_OFFLINE="1",
        HF_DATASETS_OFFLINE="1",
        TOKENIZERS_PARALLELISM="false",
        DVC_NO_ANALYTICS="1",
        PYTHONPATH="",
    )
    return env


def sh(cmd, cwd, check=True, timeout=900, env=None):
    """Run a shell command in `cwd` with the venv on PATH; return the CompletedProcess."""
    proc = subprocess.run(
        cmd, shell=True, cwd=cwd, env=env or run_env(), capture_output=True, text=True, timeout=timeout
    )
    if check and proc.returncode != 0:
        raise AssertionError(
            f"`{cmd}` failed ({proc.returncode}):\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
        )
    return proc


def stop_process(proc: subprocess.Popen, timeout: float) -> None:
    """Terminate a server the test started; kill it if it does not exit within `timeout` s."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def make_project(dest: Path, profile: str | None = "tiny") -> Path:
    """A fresh git repository holding the project's tracked and unignored files (as a clone of the
    current working tree would), with the profile merged into params.yaml and committed."""
    files = (
        subprocess.run(
            ["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, capture_output=True, check=True
        )
        .stdout.decode()
        .split("\0")
    )
    for rel in filter(None, files):
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    sh("git init -q -b main && git config user.email t@t && git config user.name t", dest)
    if profile:
        sh(f"python -m medassist.pipeline.profile {profile} --write", dest)
    sh("git add -A && git commit -q -m init", dest)
    return dest


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path / "proj")


def write_params(path: Path, **overrides):
    """Merge dotted overrides ("train.epochs": 1) into a project's params.yaml."""
    tree = yaml.safe_load((path / "params.yaml").read_text())
    for dotted, value in overrides.items():
        node = tree
        *parents, leaf = dotted.split(".")
        for key in parents:
            node = node[key]
        node[leaf] = value
    (path / "params.yaml").write_text(yaml.safe_dump(tree, sort_keys=False))


@pytest.fixture(scope="session")
def trained_project(tmp_path_factory):
    """A fresh project on the offline profile with `dvc repro train` done (real SFTTrainer run on
    the tiny model). Shared by the tests of this session: treat it as read-only, copy it if a test
    needs to change it."""
    proj = make_project(tmp_path_factory.mktemp("trained") / "proj")
    sh("dvc repro train", proj, timeout=1200)
    return proj


# Tiers: `make test-fast` runs `-m "not slow"`. A test is slow when it needs a DVC project (the
# `project` / `trained_project` fixtures, or a fixture built on them: servers, browsers), or when
# it is marked @pytest.mark.slow itself (a subprocess pipeline, torchrun, several training runs).
SLOW_FIXTURES = {"project", "trained_project"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
