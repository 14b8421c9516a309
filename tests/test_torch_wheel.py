"""`make setup`'s torch choice on a CUDA machine, from fake `nvidia-smi` output (no GPU here)."""

import subprocess
import sys

from conftest import ROOT

from medassist.gpu.torch_wheel import choose, driver_info

SMI = """\
+-----------------------------------------------------------------------------------------+
| NVIDIA-SMI {driver}              Driver Version: {driver}      CUDA Version: {cuda}     |
|-----------------------------------------+------------------------+----------------------+
|   0  Tesla T4                       Off |   00000000:00:04.0 Off |                    0 |
"""


def smi(driver: str, cuda: str) -> str:
    return SMI.format(driver=driver, cuda=cuda)


def test_driver_info_reads_the_header():
    assert driver_info(smi("550.54.15", "12.4")) == (550, (12, 4))
    assert driver_info("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver") is None


def test_cpu_machine_keeps_requirements_torch():
    choice = choose(None)
    assert choice.error is None and choice.installs == []


def test_cuda13_driver_keeps_pypis_cuda13_build():
    choice = choose(smi("580.65.06", "13.0"))
    assert choice.error is None and choice.installs == []


def test_cuda12_driver_gets_a_cuda12_build_with_its_label():
    choice = choose(smi("550.54.15", "12.4"))  # a Colab T4's driver
    assert choice.error is None
    assert choice.installs[0] == [
        "torch==2.13.0+cu128",
        "--index-url",
        "https://download.pytorch.org/whl/cu128",
    ]
    assert [args[0] for args in choice.installs] == ["torch==2.13.0+cu128", "torch==2.13.0+cu126"]


def test_old_or_broken_driver_stops_with_what_it_needs():
    old = choose(smi("470.82.01", "11.4"))
    assert old.installs == [] and "update the NVIDIA driver" in old.error and ">= 525" in old.error
    broken = choose("", smi_failed=True)
    assert "nvidia-smi" in broken.error and "TORCH_INDEX" in broken.error


def test_torch_index_overrides():
    choice = choose(smi("550.54.15", "12.4"), torch_index="https://download.pytorch.org/whl/cpu")
    assert choice.installs == [["torch==2.13.0", "--index-url", "https://download.pytorch.org/whl/cpu"]]


def test_runs_with_the_standard_library_only_and_decides_cpu_here(tmp_path):
    """`make setup` runs it before torch is installed; this machine has no nvidia-smi."""
    proc = subprocess.run(
        [sys.executable, "-S", "-m", "medassist.gpu.torch_wheel"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": str(tmp_path)},
    )
    assert proc.returncode == 0 and "no nvidia-smi" in proc.stderr, proc.stderr
