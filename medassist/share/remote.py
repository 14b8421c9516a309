"""`make push` / `make pull`: trained outputs to and from the project's DVC remote.

    python -m medassist.share.remote push [-r REMOTE]            # every cached output dvc.lock records
    python -m medassist.share.remote pull [-r REMOTE] [--force]  # what serving needs: the adapter (+ metrics)

The remote is DVC's default (`core.remote` in .dvc/config, a directory next to the repository
out of the box), or the one named by `-r` or by the MEDASSIST_REMOTE environment variable.

push: `dvc push` of every cached stage output that dvc.lock records and the local cache holds
(the adapter, the data, ...). Outputs that are missing here (a stage never run in this clone) are
listed, not pushed; no adapter to push is an error.

pull: runs no stage. It brings models/adapter (and any metrics DVC caches; metrics declared with
`cache: false` come with git) into the workspace:
  1. the objects dvc.lock names are looked up in the local DVC cache and their md5 checked;
  2. what is missing or damaged is fetched with `dvc fetch` and checked again: DVC does not
     re-hash downloads (a remote's `verify` option is off by default), so a corrupted object on
     the remote is caught here, named, and dropped from the cache;
  3. the adapter is copied out of the verified cache into a temporary sibling directory (hashing
     every file once more) and renamed into place in one step.
So the workspace holds the complete adapter dvc.lock records, or the one it held before: never a
partial one that the demo would load. An adapter in the workspace that the DVC cache cannot
restore (trained here and not committed) is not replaced without --force.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from medassist.core import MedassistError
from medassist.core.cli import run
from medassist.core.io import atomic_dir, atomic_path, file_digest

ADAPTER = "models/adapter"
METRICS_DIR = "metrics/"
MANIFEST = "(directory manifest)"
CONNECT_TIMEOUT_S = 5
DEFAULT_PORTS = {"http": 80, "https": 443, "ssh": 22, "webdav": 80, "webdavs": 443}


# ---------------------------------------------------------------------------------------------
# What dvc.lock records


@dataclass
class Output:
    path: str            # relative to the repository root
    stage: str
    oid: str | None      # md5 recorded in dvc.lock ("<md5>.dir" for a directory); None: never run
    hash_name: str
    cached: bool         # False: `cache: false`, versioned by git
    metric: bool

    @property
    def is_dir(self) -> bool:
        return bool(self.oid) and self.oid.endswith(".dir")


@dataclass
class Project:
    root: Path
    cache: Path          # <cache dir>/files/md5
    outputs: list[Output]

    def output(self, path: str) -> Output | None:
        return next((o for o in self.outputs if o.path == path), None)

    def object_path(self, oid: str) -> Path:
        return self.cache / oid[:2] / oid[2:]


def load_project() -> Project:
    from dvc.config import ConfigError
    from dvc.exceptions import DvcException, NotDvcRepoError
    from dvc.repo import Repo

    try:
        repo = Repo()
    except NotDvcRepoError:
        raise MedassistError("not inside a DVC repository: run this from the medassist checkout") from None
    except ConfigError as exc:
        raise MedassistError(
            f"the DVC configuration is invalid ({exc}): fix .dvc/config or .dvc/config.local"
        ) from None
    try:
        with repo:
            root = Path(repo.root_dir)
            outputs = [
                Output(
                    path=Path(os.path.relpath(out.fs_path, root)).as_posix(),
                    stage=stage.addressing,
                    oid=out.hash_info.value or None,
                    hash_name=out.hash_name,
                    cached=out.use_cache,
                    metric=bool(out.metric or out.plot) or out.def_path.startswith(METRICS_DIR),
                )
                for stage in repo.index.stages
                for out in stage.outs
            ]
            return Project(root=root, cache=Path(repo.cache.local.path), outputs=outputs)
    except DvcException as exc:
        raise MedassistError(f"cannot read the DVC pipeline (dvc.yaml / dvc.lock): {exc}") from None


# ---------------------------------------------------------------------------------------------
# Hashing: DVC 3's md5 of a file is the md5 of its bytes; a directory's is the md5 of its
# manifest (the sorted [{"md5", "relpath"}] list as JSON) + ".dir".


def md5_file(path: Path) -> str:
    return file_digest(path, "md5")


def tree_oid(entries: list[dict]) -> str:
    blob = json.dumps(sorted(entries, key=lambda e: e["relpath"]), sort_keys=True).encode()
    return hashlib.md5(blob).hexdigest() + ".dir"


def workspace_entries(path: Path) -> list[dict]:
    return [
        {"md5": md5_file(f), "relpath": f.relative_to(path).as_posix()}
        for f in sorted(path.rglob("*"))
        if f.is_file()
    ]


def workspace_oid(path: Path) -> str | None:
    if path.is_dir():
        return tree_oid(workspace_entries(path))
    return md5_file(path) if path.is_file() else None


# ---------------------------------------------------------------------------------------------
# The local DVC cache


@dataclass
class CacheCheck:
    files: list[tuple[str, str]] = field(default_factory=list)   # (relpath, oid) of a complete output
    missing: list[tuple[str, str]] = field(default_factory=list)
    corrupt: list[tuple[str, str]] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing and not self.corrupt


def check_cache(project: Project, out: Output, drop_corrupt: bool) -> CacheCheck:
    """Which objects of ``out`` the local cache holds intact (md5 re-computed for each)."""
    if out.hash_name != "md5":
        raise MedassistError(
            f"{out.path}: dvc.lock records a '{out.hash_name}' hash (written by DVC 2); "
            "re-run `dvc repro` with this project's DVC 3 to record an md5"
        )
    check = CacheCheck()

    def look(relpath: str, oid: str) -> bool:
        obj = project.object_path(oid)
        if not obj.is_file():
            check.missing.append((relpath, oid))
            return False
        if md5_file(obj) != oid.removesuffix(".dir"):
            check.corrupt.append((relpath, oid))
            if drop_corrupt:  # so that the next fetch downloads it again
                try:
                    obj.unlink()
                except OSError:
                    pass
            return False
        return True

    if not out.is_dir:
        if look(".", out.oid):
            check.files.append((".", out.oid))
        return check
    if look(MANIFEST, out.oid):
        for entry in json.loads(project.object_path(out.oid).read_text()):
            if look(entry["relpath"], entry["md5"]):
                check.files.append((entry["relpath"], entry["md5"]))
    return check


# ---------------------------------------------------------------------------------------------
# The remote


@dataclass
class Remote:
    name: str
    url: str             # as configured
    protocol: str
    path: str            # resolved (an absolute directory for a local remote)
    endpoint: str | None  # host:port to probe before DVC spends its retries on it

    def __str__(self) -> str:
        where = self.path if self.protocol == "local" else self.url
        return f"remote '{self.name}' ({where})"


def resolve_remote(name: str | None) -> Remote:
    """The named (or default) remote, with configuration errors turned into clear messages."""
    from dvc.config import ConfigError, NoRemoteError, RemoteNotFoundError
    from dvc.repo import Repo

    hint = "see `dvc remote list`; README § 'DVC remote'"
    with Repo() as repo:
        name = name or repo.config["core"].get("remote")
        try:
            known = sorted(repo.config["remote"])
            remote = repo.cloud.get_remote(name)
        except NoRemoteError:
            raise MedassistError(
                "no DVC remote configured: set one with `dvc remote add -d storage /path/to/dir` "
                f"or name one with -r ({hint})"
            ) from None
        except RemoteNotFoundError:
            raise MedassistError(
                f"DVC remote '{name}' is not configured (configured: {', '.join(known) or 'none'}; {hint})"
            ) from None
        except ConfigError as exc:
            raise MedassistError(
                f"the DVC configuration is invalid ({exc}): fix .dvc/config or .dvc/config.local ({hint})"
            ) from None
        except ImportError as exc:  # a remote type whose DVC plugin is not installed
            plugin = str(exc).split("'")[1] if "'" in str(exc) else "the DVC plugin"
            raise MedassistError(f"DVC remote '{name}': {exc}; "
                                 f"install it with `pip install {plugin}`") from None
        conf = repo.config["remote"][remote.name]
    url = conf["url"]
    parsed = urlparse(conf.get("endpointurl") or url)
    endpoint = None
    if parsed.scheme in DEFAULT_PORTS and parsed.hostname:
        port = parsed.port or (conf.get("port") if parsed.scheme == "ssh" else None) or DEFAULT_PORTS[parsed.scheme]
        endpoint = f"{parsed.hostname}:{port}"
    return Remote(name=remote.name, url=url, protocol=remote.fs.protocol, path=remote.path, endpoint=endpoint)


def check_reachable(remote: Remote, for_push: bool) -> None:
    """Fail fast, with the reason, when the remote cannot possibly answer."""
    change = f"point it elsewhere with `dvc remote modify --local {remote.name} url ...`"
    if remote.protocol == "local":
        path = Path(remote.path)
        if path.is_dir():
            if for_push and not os.access(path, os.W_OK):
                raise MedassistError(f"{remote} is not writable by you; {change}")
            return
        if path.exists():
            raise MedassistError(f"{remote} is not a directory; {change}")
        if not for_push:
            raise MedassistError(
                f"{remote} does not exist: nothing was pushed there yet, or the shared mount it lives "
                f"on is not mounted; {change}"
            )
        if not path.parent.is_dir():  # a missing mount point must not become a local directory
            raise MedassistError(
                f"{remote} cannot be created: its parent {path.parent} does not exist "
                f"(is the shared mount mounted?); {change}"
            )
        return
    if remote.endpoint:
        host, port = remote.endpoint.rsplit(":", 1)
        try:
            socket.create_connection((host, int(port)), timeout=CONNECT_TIMEOUT_S).close()
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise MedassistError(
                f"cannot reach {remote}: {remote.endpoint}: {reason}. Check the url / endpointurl "
                f"(`dvc remote list`, `dvc config remote.{remote.name}.endpointurl`) and the network"
            ) from None


def dvc(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dvc", *args], cwd=cwd, capture_output=True, text=True)


def dvc_errors(proc: subprocess.CompletedProcess) -> str:
    """DVC's own ERROR lines, condensed to one line."""
    lines = [line.removeprefix("ERROR:").strip() for line in proc.stderr.splitlines() if line.startswith("ERROR")]
    return "; ".join(lines)[:600]


ACCESS_ERRORS = ("connect", "timed out", "timeout", "credential", "accessdenied", "access denied", "forbidden",
                 "invalidaccesskeyid", "signaturedoesnotmatch", "permission denied", "authenticat", "401", "403",
                 "nosuchbucket", "ssl", "certificate")


def access_failed(errors: str) -> bool:
    """Whether DVC's errors say the remote could not be used at all (rather than objects missing on it)."""
    return any(word in errors.lower() for word in ACCESS_ERRORS)


def credentials_hint(remote: Remote) -> str:
    if remote.protocol == "local":
        return "check that the directory is readable"
    return (f"check its url and credentials (keep them out of git: "
            f"`dvc remote modify --local {remote.name} ...`)")


# ---------------------------------------------------------------------------------------------
# push


def push(remote_name: str | None = None) -> None:
    project = load_project()
    not_run = sorted({o.stage for o in project.outputs if o.cached and not o.oid})
    pushable, unavailable, damaged = [], [], []
    for out in (o for o in project.outputs if o.cached and o.oid):
        check = check_cache(project, out, drop_corrupt=False)
        if check.complete:
            pushable.append(out)
        elif check.corrupt:
            damaged.append(f"{out.path} ({', '.join(p for p, _ in check.corrupt)})")
        else:
            unavailable.append(out.path)
    adapter = project.output(ADAPTER)

    if pushable:
        remote = resolve_remote(remote_name)
        check_reachable(remote, for_push=True)
        print(f"push: {', '.join(o.path for o in pushable)} -> {remote}")
        proc = dvc("push", "-r", remote.name, *(o.path for o in pushable), cwd=project.root)
        if proc.returncode != 0:
            raise MedassistError(f"could not push to {remote}: {dvc_errors(proc) or proc.stderr.strip()[-600:]}. "
                                 f"{credentials_hint(remote).capitalize()}")
        print(proc.stdout.strip() or "pushed")

    workspace = project.root / ADAPTER
    if adapter in pushable and workspace.exists() and workspace_oid(workspace) != adapter.oid:
        print(f"push: warning: {ADAPTER} in the workspace is not the one dvc.lock records; the recorded one was "
              "pushed. To publish the workspace one, record it first (`dvc commit train` or `dvc repro`)",
              file=sys.stderr)
    if not_run:
        print(f"push: not pushed, stage(s) never run here: {', '.join(not_run)} (run `dvc repro` to produce them)",
              file=sys.stderr)
    if unavailable:
        print(f"push: not pushed, not in the local DVC cache: {', '.join(unavailable)} "
              "(run `dvc repro`, or `dvc pull` them from where they were pushed)", file=sys.stderr)
    if damaged:
        raise MedassistError(
            f"corrupted objects in the local DVC cache, not pushed: {'; '.join(damaged)}. "
            "Re-create them with `dvc repro --force <stage>` (or `dvc commit --force` from a good workspace copy)"
        )
    if adapter is None or adapter not in pushable:
        raise MedassistError(
            f"no trained adapter to push: {ADAPTER} is "
            f"{'not recorded in dvc.lock' if adapter is None or not adapter.oid else 'not in the local DVC cache'}"
            "; train it with `dvc repro` first"
        )
    remind_to_commit(project)


def remind_to_commit(project: Project) -> None:
    """A clone finds what was pushed through dvc.lock; git carries the `cache: false` metrics."""
    paths = ["dvc.lock", *(o.path for o in project.outputs if not o.cached and o.oid)]
    proc = subprocess.run(["git", "status", "--porcelain", "--", *paths], cwd=project.root,
                          capture_output=True, text=True)
    if proc.returncode == 0 and proc.stdout.strip():
        print("push: now commit what points at the pushed data, so a clone can pull it:\n"
              f"    git add {' '.join(paths)} && git commit -m 'Trained adapter' && git push")


# ---------------------------------------------------------------------------------------------
# pull


def place(project: Project, out: Output, files: list[tuple[str, str]]) -> None:
    """Copy a verified output from the cache into the workspace in one rename."""
    dest = project.root / out.path

    def copy(oid: str, target: Path) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(project.object_path(oid), target)
        if md5_file(target) != oid:  # the cache changed under us
            raise MedassistError(f"{out.path}: DVC cache object {oid} changed while copying; run `make pull` again")

    if out.is_dir:
        with atomic_dir(dest) as tmp:
            for relpath, oid in files:
                copy(oid, tmp / relpath)
    else:
        with atomic_path(dest) as tmp:
            copy(out.oid, tmp)


def unsaved(project: Project, path: Path) -> list[str]:
    """Workspace files under ``path`` that the DVC cache could not restore if replaced."""
    entries = workspace_entries(path) if path.is_dir() else [{"md5": md5_file(path), "relpath": path.name}]
    return [e["relpath"] for e in entries if not project.object_path(e["md5"]).is_file()]


def diagnose(out: Output, check: CacheCheck, proc: subprocess.CompletedProcess, remote: Remote) -> str:
    """Why ``out`` is still incomplete in the cache after `dvc fetch`, in one sentence."""
    # A corrupted object either reached the cache (and failed our md5 check), or DVC refused it
    # because it could not even parse it (a damaged directory manifest).
    refused = [(p, oid) for p, oid in check.missing if oid in proc.stderr and "corrupt" in proc.stderr]
    corrupt = check.corrupt + refused
    missing = [m for m in check.missing if m not in refused]
    errors = dvc_errors(proc)
    if corrupt:
        return (
            f"{remote} holds corrupted data for {out.path}: "
            f"{', '.join(f'{p} (object {oid})' for p, oid in corrupt)} "
            f"{'does' if len(corrupt) == 1 else 'do'} not match the md5 that dvc.lock records. "
            "Delete the bad object(s) on the remote (files/md5/<first 2 hex>/<rest>) and `make push` again "
            "from a clone that has a good copy"
        )
    if access_failed(errors):
        return f"could not fetch {out.path} from {remote}: {errors}. {credentials_hint(remote).capitalize()}"
    return (
        f"{out.path} is not (completely) on {remote}: missing "
        f"{', '.join(f'{p} (object {oid})' for p, oid in missing[:5])}"
        + (f" [dvc: {errors}]" if errors else "")
        + ". Wrong url or bucket, or never pushed: run `make push` where this commit's adapter was trained, "
        "or name the remote that holds it with -r"
    )


def pull(remote_name: str | None = None, force: bool = False) -> None:
    project = load_project()
    adapter = project.output(ADAPTER)
    if adapter is None or not adapter.oid:
        raise MedassistError(
            f"dvc.lock records no trained {ADAPTER}: this commit has none to pull. Train with `dvc repro`, "
            "or `git pull` / check out the commit where `make push` was run and its dvc.lock committed"
        )
    wanted = [adapter] + [o for o in project.outputs if o.cached and o.metric and o.oid]
    todo = [o for o in wanted if workspace_oid(project.root / o.path) != o.oid]
    for out in todo:
        dest = project.root / out.path
        if dest.exists() and not force and (lost := unsaved(project, dest)):
            raise MedassistError(
                f"{out.path} holds another version than dvc.lock records, and the DVC cache cannot restore it "
                f"({', '.join(lost[:5])}): keep it with `dvc commit` then `make push`, or replace it with "
                "`python -m medassist.share.remote pull --force`"
            )

    checks = {o.path: check_cache(project, o, drop_corrupt=True) for o in todo}
    fetch = [o for o in todo if not checks[o.path].complete]
    problems = []
    if fetch:
        remote = resolve_remote(remote_name)
        check_reachable(remote, for_push=False)
        print(f"pull: {', '.join(o.path for o in fetch)} <- {remote}")
        proc = dvc("fetch", "-r", remote.name, *(o.path for o in fetch), cwd=project.root)
        for out in fetch:
            checks[out.path] = check_cache(project, out, drop_corrupt=True)
            if not checks[out.path].complete:
                problems.append(diagnose(out, checks[out.path], proc, remote))

    for out in todo:  # what verified goes into place; what did not is never written
        if checks[out.path].complete:
            place(project, out, checks[out.path].files)
            print(f"pull: {out.path} ({len(checks[out.path].files)} file(s), md5 verified)")
    if problems:
        if ADAPTER in checks and not checks[ADAPTER].complete:
            kept = "the one already there is unchanged" if (project.root / ADAPTER).exists() else "there is none"
            problems.append(f"nothing was written to {ADAPTER} ({kept})")
        raise MedassistError(" | ".join(problems))
    if not todo:
        print(f"pull: {ADAPTER} is up to date with dvc.lock")
    report_git_metrics(project)
    print("pull: done; serve it with `make demo`")


def report_git_metrics(project: Project) -> None:
    """Metrics with `cache: false` are not on the remote: git brings them. Say when it did not."""
    stale = []
    for out in (o for o in project.outputs if not o.cached and o.metric and o.oid):
        path = project.root / out.path
        if not path.exists():
            stale.append(f"{out.path} (missing)")
        elif not out.is_dir and md5_file(path) != out.oid:
            stale.append(f"{out.path} (differs from dvc.lock)")
    if stale:
        print(f"pull: warning: metrics not as dvc.lock records them: {', '.join(stale)}. They travel with git, "
              "not the DVC remote: commit them together with dvc.lock where the adapter was trained",
              file=sys.stderr)


# ---------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["push", "pull"])
    parser.add_argument("-r", "--remote", default=os.environ.get("MEDASSIST_REMOTE") or None,
                        help="DVC remote name (default: MEDASSIST_REMOTE, else DVC's default remote)")
    parser.add_argument("--force", action="store_true",
                        help="pull: replace a workspace adapter that the DVC cache cannot restore")
    args = parser.parse_args()
    if args.action == "push":
        push(args.remote)
    else:
        pull(args.remote, force=args.force)


if __name__ == "__main__":
    run(main)
