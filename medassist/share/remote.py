"""`make push` / `make pull`: trained outputs to and from the project's DVC remote.

    python -m medassist.share.remote push [-r REMOTE]            # every cached output dvc.lock records
    python -m medassist.share.remote pull [-r REMOTE] [--force]  # what serving needs: models/adapter

The remote is DVC's default (`core.remote` in .dvc/config: a directory next to the repository),
or the one named by -r or by the MEDASSIST_REMOTE environment variable.

A thin layer over DVC's Python API, DVC's progress bars and warnings included. It adds what DVC
lacks: pull fetches with `verify = true`, so that DVC re-hashes each download and drops a corrupted
one (silently: pull names it); DVC checks the adapter out beside models/adapter, renamed into place
in one step, so that the demo never loads a partial one; an adapter that the DVC cache cannot
restore is not replaced without --force; and every failure is one line that says what to do.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from contextlib import contextmanager, suppress
from pathlib import Path

from medassist.core import MedassistError, paths
from medassist.core.cli import parser as cli_parser
from medassist.core.cli import run
from medassist.core.io import atomic_dir

ADAPTER = paths.ADAPTER.as_posix()  # DVC names outputs by their path in dvc.yaml
MANIFEST = "(directory manifest)"


@contextmanager
def dvc_repo():
    """The DVC repository here; DVC's typed errors become one line."""
    from dvc.config import ConfigError
    from dvc.exceptions import DvcException, NotDvcRepoError
    from dvc.repo import Repo

    if not logging.getLogger("dvc").handlers:  # DVC's CLI format for its warnings: one line, no traceback
        from dvc.logger import setup

        setup()
    try:
        with Repo() as repo:
            yield repo
    except NotDvcRepoError:
        raise MedassistError("not inside a DVC repository: run this from the medassist checkout") from None
    except ConfigError as exc:
        raise MedassistError(
            f"the DVC configuration is invalid ({exc}): fix .dvc/config or .dvc/config.local"
        ) from None
    except DvcException as exc:
        raise MedassistError(f"DVC: {'; '.join(str(exc).splitlines())}") from None


def describe(remote) -> str:
    where = remote.path if remote.fs.protocol == "local" else remote.fs.unstrip_protocol(remote.path)
    endpoint = remote.config.get("endpointurl")
    return f"remote '{remote.name}' ({where}{f' at {endpoint}' if endpoint else ''})"


def hint(remote) -> str:
    return (
        f"Check its url and credentials (keep them out of git: `dvc remote modify --local {remote.name} ...`) "
        "and the network"
    )


def get_remote(repo, name: str | None, for_push: bool):
    """DVC's remote ``name`` (default: DVC's default one), once its filesystem has answered."""
    from dvc.config import NoRemoteError, RemoteNotFoundError

    see = "see `dvc remote list`; docs/remote.md"
    try:
        remote = repo.cloud.get_remote(name)
    except NoRemoteError:
        raise MedassistError(
            "no DVC remote configured: set one with `dvc remote add -d storage /path/to/dir` "
            f"or name one with -r ({see})"
        ) from None
    except RemoteNotFoundError:
        known = ", ".join(sorted(repo.config["remote"])) or "none"
        raise MedassistError(f"DVC remote '{name}' is not configured (configured: {known}; {see})") from None
    except ImportError as exc:  # a remote type whose DVC plugin is not installed
        plugin = getattr(exc.__cause__, "name", None) or "it"
        raise MedassistError(
            f"DVC remote '{name}': {exc}; `pip install {plugin.replace('_', '-')}`"
        ) from None

    # DVC's fetch asks the remote's filesystem too, but only logs a failure and counts it in a
    # DownloadError; it takes a missing local directory for an empty remote, and push would create it,
    # mount point included. Asking first names the cause.
    change = f"point it elsewhere with `dvc remote modify --local {remote.name} url ...`"
    try:
        remote.fs.info(remote.path)
    except FileNotFoundError as exc:
        if isinstance(exc.__cause__, OSError):  # fsspec's HTTP filesystem: connection refused, as not found
            raise MedassistError(
                f"cannot reach {describe(remote)}: {exc.__cause__}. {hint(remote)}"
            ) from None
        parent = Path(remote.path).parent
        if remote.fs.protocol != "local" or (for_push and parent.is_dir()):
            return remote  # nothing there yet: push creates it; pull says what is missing
        if for_push:
            raise MedassistError(
                f"{describe(remote)} cannot be created: its parent {parent} does not exist "
                f"(is the shared mount mounted?); {change}"
            ) from None
        raise MedassistError(
            f"{describe(remote)} does not exist: nothing was pushed there yet, or the shared "
            f"mount it lives on is not mounted; {change}"
        ) from None
    except Exception as exc:  # noqa: BLE001 - whatever its client raises: refused, no credentials, TLS...
        raise MedassistError(
            f"cannot reach {describe(remote)}: {type(exc).__name__}: {exc}. {hint(remote)}"
        ) from None
    return remote


# ---------------------------------------------------------------------------------------------
# push


def push(remote_name: str | None = None) -> None:
    from dvc.exceptions import UploadError

    with dvc_repo() as repo:
        outs = [o for o in repo.index.outs if o.use_cache]
        adapter = next((o for o in outs if o.def_path == ADAPTER), None)
        not_run = sorted({o.stage.addressing for o in outs if not o.hash_info})
        # DVC's check of the local cache (it re-hashes unless its state db vouches for a file, and
        # deletes a damaged object): dvc push would upload a damaged object as it is
        ready = [o for o in outs if o.hash_info and not o.changed_cache()]
        if ready:
            remote = get_remote(repo, remote_name, for_push=True)
            print(f"push: {', '.join(map(str, ready))} -> {describe(remote)}")
            try:
                pushed = repo.push([o.def_path for o in ready], remote=remote.name)
            except UploadError as exc:
                raise MedassistError(
                    f"could not push to {describe(remote)}: {exc} (DVC's errors above say why). "
                    f"{hint(remote)}; for a directory, that you may write to it"
                ) from None
            print(f"push: {pushed} file(s) pushed" if pushed else "push: nothing new, the remote had it all")

        if adapter in ready and adapter.exists and adapter.workspace_status():
            print(
                f"push: warning: {ADAPTER} in the workspace is not the one dvc.lock records; the recorded one was "
                "pushed. To publish the workspace one, record it first (`dvc commit train` or `dvc repro`)",
                file=sys.stderr,
            )
        if not_run:
            print(
                f"push: not pushed, stage(s) never run here: {', '.join(not_run)} (run `dvc repro` to produce them)",
                file=sys.stderr,
            )
        if absent := [str(o) for o in outs if o.hash_info and o not in ready]:
            print(
                f"push: not pushed, not in the local DVC cache (or damaged there): {', '.join(absent)} "
                "(run `dvc repro`, or `dvc pull` them from where they were pushed)",
                file=sys.stderr,
            )
        if adapter not in ready:
            state = (
                "not in the local DVC cache" if adapter and adapter.hash_info else "not recorded in dvc.lock"
            )
            raise MedassistError(
                f"no trained adapter to push: {ADAPTER} is {state}; train it with `dvc repro` first"
            )

        # A clone finds the pushed data through dvc.lock, which only git carries (so do `cache: false` outputs).
        paths = ["dvc.lock", *(o.def_path for o in repo.index.outs if not o.use_cache and o.hash_info)]
        git = subprocess.run(
            ["git", "status", "--porcelain", "--", *paths],
            check=False,
            cwd=repo.root_dir,
            capture_output=True,
            text=True,
        )
        if git.returncode == 0 and git.stdout.strip():
            print(
                "push: now commit what points at the pushed data, so a clone can pull it:\n"
                f"    git add {' '.join(paths)} && git commit -m 'Trained adapter' && git push"
            )


# ---------------------------------------------------------------------------------------------
# pull


def objects(adapter, *odbs) -> list[tuple[str, str]]:
    """(name, oid) of the adapter's manifest and of the files it lists, as read from the first of
    ``odbs`` that holds it readable (none: the manifest alone)."""
    from dvc_data.hashfile.tree import Tree
    from dvc_objects.errors import ObjectFormatError

    manifest = [(MANIFEST, adapter.hash_info.value)]
    for odb in odbs:
        with suppress(FileNotFoundError, ObjectFormatError):
            return manifest + [("/".join(key), hi.value) for key, _, hi in Tree.load(odb, adapter.hash_info)]
    return manifest


def diagnose(adapter, remote, failed) -> str:
    """Why the adapter is still incomplete in the cache after `dvc fetch` (``failed``: its DownloadError)."""
    absent = [
        (name, oid)
        for name, oid in objects(adapter, adapter.cache, remote.odb)
        if not adapter.cache.exists(oid)
    ]
    on_remote = {oid for _, oid in absent if remote.odb.exists(oid)}
    missing = [(name, oid) for name, oid in absent if oid not in on_remote]
    # Fetched with verify, an object that the remote holds and the cache lacks had the wrong md5: DVC
    # dropped it (or could not parse it, for a manifest). DVC only keeps a directory's manifest out of
    # the cache while files of the directory are missing.
    corrupt = (
        []
        if failed
        else [(name, oid) for name, oid in absent if oid in on_remote and not (name == MANIFEST and missing)]
    )

    def listed(found):
        return ", ".join(f"{name} (object {oid})" for name, oid in found[:5])

    if corrupt:
        return (
            f"{describe(remote)} holds corrupted data for {adapter}: {listed(corrupt)} "
            f"{'does' if len(corrupt) == 1 else 'do'} not match the md5 that dvc.lock records. Delete the bad "
            "object(s) on the remote (files/md5/<first 2 hex>/<rest>) and `make push` again from a clone "
            "that has a good copy"
        )
    if missing:
        return (
            f"{adapter} is not (completely) on {describe(remote)}: missing {listed(missing)}. Wrong url or "
            "bucket, or never pushed: run `make push` where this commit's adapter was trained, or name the "
            "remote that holds it with -r"
        )
    return f"could not fetch {adapter} from {describe(remote)}: {failed} (DVC's errors above say why). {hint(remote)}"


def restore(repo, adapter, remote_name: str | None, force: bool) -> None:
    """Fetch what the cache lacks of the adapter dvc.lock records, then put it in place in one step."""
    from dvc.exceptions import DownloadError
    from dvc.ui import ui
    from dvc_data.hashfile import load
    from dvc_data.hashfile.build import build
    from dvc_data.hashfile.checkout import LinkError, checkout
    from dvc_objects.errors import ObjectFormatError

    kept = "the one already there is unchanged" if adapter.exists else "there is none"
    if adapter.isdir() and not force:  # what `dvc checkout` would not delete without --force
        _, _, here = build(
            adapter.cache,
            adapter.fs_path,
            adapter.fs,
            adapter.hash_name,
            dry_run=True,
            ignore=adapter.dvcignore,
        )
        if lost := sorted("/".join(key) for key, _, hi in here if not adapter.cache.exists(hi.value)):
            raise MedassistError(
                f"{ADAPTER} holds another version than dvc.lock records, and the DVC cache cannot restore it "
                f"({', '.join(lost[:5])}): keep it with `dvc commit` then `make push`, or replace it with "
                "`python -m medassist.share.remote pull --force`"
            )

    if adapter.changed_cache():  # DVC's check of the local cache, as for push
        remote = get_remote(repo, remote_name, for_push=False)
        print(f"pull: {ADAPTER} <- {describe(remote)}")
        failed = None
        try:  # verify, whatever the remote's configuration says
            repo.fetch([ADAPTER], remote=remote.name, config={"remote": {remote.name: {"verify": True}}})
        except DownloadError as exc:
            failed = exc
        except ObjectFormatError:
            pass  # the manifest on the remote is not even JSON: diagnose() names it
        if adapter.changed_cache():
            raise MedassistError(
                f"{diagnose(adapter, remote, failed)} | nothing was written to {ADAPTER} ({kept})"
            )

    try:  # into a sibling directory, renamed into place once complete
        with (
            atomic_dir(adapter.fs_path) as tmp,
            ui.progress(desc=f"Checking out {ADAPTER}", unit="file") as pb,
        ):
            checkout(
                str(tmp),
                adapter.fs,
                load(adapter.cache, adapter.hash_info),
                adapter.cache,
                force=True,
                progress_callback=pb.as_callback(),
            )
    except (LinkError, OSError) as exc:  # LinkError wraps the OSError (a full disk, ...)
        raise MedassistError(f"could not write {ADAPTER}: {exc.__cause__ or exc} ({kept})") from None
    print(f"pull: {ADAPTER} ({adapter.meta.nfiles} files, md5 verified)")


def pull(remote_name: str | None = None, force: bool = False) -> None:
    with dvc_repo() as repo:
        adapter = next((o for o in repo.index.outs if o.def_path == ADAPTER), None)
        if adapter is None or not adapter.hash_info:
            raise MedassistError(
                f"dvc.lock records no trained {ADAPTER}: this commit has none to pull. Train with `dvc repro`, "
                "or `git pull` / check out the commit where `make push` was run and its dvc.lock committed"
            )
        if adapter.workspace_status():
            restore(repo, adapter, remote_name, force)
        else:
            print(f"pull: {ADAPTER} is up to date with dvc.lock")
        report_git_metrics(repo)
        print("pull: done; serve it with `make demo`")


def report_git_metrics(repo) -> None:
    """Metrics with `cache: false` are not on the remote: git brings them. Say when it did not."""
    stale = [
        f"{out} ({status})"
        for out in repo.index.outs
        if not out.use_cache
        and out.hash_info
        and (out.metric or out.def_path.startswith(f"{paths.METRICS}/"))
        for status in out.workspace_status().values()
    ]
    if stale:
        print(
            f"pull: warning: metrics not as dvc.lock records them: {', '.join(stale)}. They travel with git, "
            "not the DVC remote: commit them together with dvc.lock where the adapter was trained",
            file=sys.stderr,
        )


def main() -> None:
    parser = cli_parser(__doc__)
    parser.add_argument("action", choices=["push", "pull"])
    parser.add_argument(
        "-r",
        "--remote",
        default=os.environ.get("MEDASSIST_REMOTE") or None,
        help="DVC remote name (default: MEDASSIST_REMOTE, else DVC's default remote)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="pull: replace a workspace adapter that the DVC cache cannot restore",
    )
    args = parser.parse_args()
    if args.action == "push":
        push(args.remote)
    else:
        pull(args.remote, force=args.force)


if __name__ == "__main__":
    run(main)
