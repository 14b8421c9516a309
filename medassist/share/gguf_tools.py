"""llama.cpp's GGUF tools, installed on first use: `make gguf-tools` (which `make gguf` runs).

    python -m medassist.share.gguf_tools install     # once per venv; a no-op when in place
    python -m medassist.share.gguf_tools check       # exit 1 when not installed

* llama-cpp-python (requirements-gguf.txt, pinned): runs GGUF files, and quantizes them with
  `llama_model_quantize`, the C function behind llama.cpp's own `llama-quantize` tool. PyPI serves it
  as source only, so pip builds llama.cpp (about 5 minutes on 2 cores, once; pip caches the wheel).
* llama.cpp's converter (`convert_hf_to_gguf.py`, its `conversion` package and `gguf-py`), unpacked
  from the same source package (`vendor/llama.cpp`) into `<venv>/llama.cpp-<version>/`, so the
  converter and the runtime are one llama.cpp version.

Not in `make setup`: most users never export a GGUF, and the build is the slowest step of a fresh
machine's set-up.
"""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from medassist.core import MedassistError
from medassist.core.cli import parser
from medassist.core.io import atomic_dir

REQUIREMENTS = Path(__file__).resolve().parents[2] / "requirements-gguf.txt"
PACKAGE = "llama-cpp-python"
# What the converter needs from llama.cpp's tree (vendor/llama.cpp in the source package).
CONVERTER_FILES = ("convert_hf_to_gguf.py", "conversion/", "gguf-py/", "LICENSE")


def pins() -> dict[str, str]:
    """requirements-gguf.txt's packages and their pinned versions."""
    out = {}
    for line in REQUIREMENTS.read_text().splitlines():
        name, sep, pinned = line.split("#", 1)[0].strip().partition("==")
        if sep:
            out[name] = pinned
    return out


def version() -> str:
    if PACKAGE not in pins():
        raise MedassistError(f"{REQUIREMENTS} does not pin {PACKAGE}")
    return pins()[PACKAGE]


def converter_dir() -> Path:
    return Path(sys.prefix) / f"llama.cpp-{version()}"


def converter() -> Path:
    return converter_dir() / "convert_hf_to_gguf.py"


def installed_version(package: str = PACKAGE) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def missing() -> list[str]:
    """The pinned packages not installed at their pin."""
    return [f"{name}=={pinned}" for name, pinned in pins().items() if installed_version(name) != pinned]


def installed() -> bool:
    return not missing() and converter().is_file()


def require() -> None:
    """Before any GGUF work: the tools are here, or one line saying how to get them."""
    if not installed():
        lacking = missing() + (
            [] if converter().is_file() else [f"llama.cpp's converter in {converter_dir()}"]
        )
        raise MedassistError(
            f"llama.cpp's GGUF tools are not installed (missing: {', '.join(lacking)}): run `make gguf-tools` "
            "(builds llama.cpp once, about 5 minutes on 2 cores)"
        )


def _pip(*args: str) -> None:
    env = {**os.environ, "CMAKE_BUILD_PARALLEL_LEVEL": str(os.cpu_count() or 1)}
    subprocess.run([sys.executable, "-m", "pip", *args], check=True, env=env)


def unpack_converter(sdist: Path, target: Path) -> None:
    """llama.cpp's converter files out of the llama-cpp-python source package, in one rename."""
    with tarfile.open(sdist) as tar, atomic_dir(target) as tmp:
        members = []
        for member in tar.getmembers():
            _, _, inside = member.name.partition("/vendor/llama.cpp/")
            if inside and any(inside == f or inside.startswith(f) for f in CONVERTER_FILES):
                if not (member.isfile() or member.isdir()):
                    continue
                member.name = inside
                members.append(member)
        if not any(m.name == "convert_hf_to_gguf.py" for m in members):
            raise MedassistError(f"{sdist.name} holds no vendor/llama.cpp/convert_hf_to_gguf.py")
        tar.extractall(tmp, members=members, filter="data")


def install() -> None:
    if installed():
        print(f"gguf-tools: {PACKAGE} {version()} and its converter are installed", file=sys.stderr)
        return
    if missing():
        print(
            f"gguf-tools: installing {', '.join(missing())} (llama-cpp-python builds llama.cpp: about 5 "
            "minutes on 2 cores, once)",
            file=sys.stderr,
        )
        _pip("install", "-q", "-r", str(REQUIREMENTS))
    if converter().is_file():
        return require()
    with tempfile.TemporaryDirectory() as tmp:
        _pip("download", "-q", "--no-deps", "--no-binary", ":all:", f"{PACKAGE}=={version()}", "-d", tmp)
        sdists = sorted(Path(tmp).glob("*.tar.gz"))
        if not sdists:
            raise MedassistError(f"pip download of {PACKAGE}=={version()} gave no source package")
        unpack_converter(sdists[0], converter_dir())
    require()
    print(f"gguf-tools: ready ({converter_dir()})", file=sys.stderr)


def main(argv=None) -> None:
    ap = parser(__doc__)
    ap.add_argument("action", choices=("install", "check"))
    args = ap.parse_args(argv)
    if args.action == "install":
        install()
    elif not installed():
        require()


if __name__ == "__main__":
    from medassist.core.cli import run

    run(main)
