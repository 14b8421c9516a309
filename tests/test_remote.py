"""`make push` / `make pull` (medassist.share.remote) through a local-directory remote and a real S3 API.

Train once (the session's `trained_project`), push from a copy of it, then pull into fresh
`git clone`s: byte-identical adapter files, a loadable adapter, no stage run. Damaged, missing and
unreachable remotes give one clear line and never leave a partial adapter behind. A corrupted object
is caught by DVC's own re-hash of downloads (`verify`), on remotes that do not set it too.
"""

import filecmp
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from conftest import BIN, ROOT, run_env, sh, stop_process

ADAPTER = Path("models/adapter")
PUSH = "python -m medassist.share.remote push"
PULL = "python -m medassist.share.remote pull"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def adapter_files(proj: Path) -> dict[str, bytes]:
    root = proj / ADAPTER
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def manifest(proj: Path) -> dict[str, str]:
    """relpath -> md5 of the adapter, from the DVC cache of a project that has it."""
    import json

    import yaml

    lock = yaml.safe_load((proj / "dvc.lock").read_text())
    oid = next(o["md5"] for o in lock["stages"]["train"]["outs"] if o["path"] == str(ADAPTER))
    entries = json.loads((proj / ".dvc/cache/files/md5" / oid[:2] / oid[2:]).read_text())
    return {e["relpath"]: e["md5"] for e in entries} | {"(manifest)": oid}


def clone(src: Path, dest: Path, **remote_local_config) -> Path:
    """`git clone` src to dest, then `dvc remote modify --local NAME KEY VALUE` for each option."""
    sh(f"git clone -q {src} {dest}", src.parent)
    for name, options in remote_local_config.items():
        for key, value in options.items():
            sh(f"dvc remote modify --local {name} {key} {value}", dest)
    return dest


def assert_no_partial_adapter(proj: Path):
    assert not (proj / ADAPTER).exists(), "a failed pull must not leave an adapter behind"
    assert not list((proj / "models").glob(".adapter*")), "no temporary directories left behind"


def assert_clear_error(proc, *words):
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    line = proc.stderr.strip().splitlines()[-1]
    assert line.startswith("error: "), proc.stderr
    for word in words:
        assert word in line, line
    return line


LOAD = """
import torch
from medassist.model.loading import load_finetuned, load_tokenizer
model, meta = load_finetuned("models/adapter")
assert model.active_adapters, "no active adapter"
tok = load_tokenizer(meta["base_model"])
ids = tok("What is the first-line treatment of anaphylaxis?", return_tensors="pt").input_ids
with torch.no_grad():
    out = model.generate(ids, max_new_tokens=4, do_sample=False)
print("loaded", meta["base_model"], out.shape[1] > ids.shape[1])
"""


def assert_loadable(proj: Path):
    proc = sh(f"python -c '{LOAD}'", proj)
    assert "loaded" in proc.stdout and "True" in proc.stdout, proc.stdout + proc.stderr


# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def published(trained_project, tmp_path_factory):
    """A copy of the trained project with its results committed and pushed to the default remote
    (`../../medassist-dvc-remote` in .dvc/config: a directory next to the repository)."""
    base = tmp_path_factory.mktemp("published")
    proj = base / "trainer"
    shutil.copytree(trained_project, proj, symlinks=True)
    proc = sh(PUSH, proj)
    assert "models/adapter" in proc.stdout and "pushed" in proc.stdout
    assert "git add dvc.lock" in proc.stdout, "push tells the user to commit dvc.lock and the metrics"
    sh("git add -A && git commit -q -m 'Trained adapter'", proj)
    remote = base / "medassist-dvc-remote"
    assert (remote / "files" / "md5").is_dir(), "the default remote is the directory next to the repository"
    return {"proj": proj, "remote": remote, "manifest": manifest(proj)}


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    """A moto S3 server on 127.0.0.1, started (and stopped) by the test session."""
    import boto3

    port = free_port()
    log = (tmp_path_factory.mktemp("moto") / "moto.log").open("w")
    proc = subprocess.Popen(
        [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=subprocess.STDOUT
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert proc.poll() is None, "moto_server exited"
                assert time.monotonic() < deadline, "moto_server did not start"
                time.sleep(0.2)
        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            region_name="us-east-1",
        )
        client.create_bucket(Bucket="medassist")
        creds = {"endpointurl": endpoint, "access_key_id": "testing", "secret_access_key": "testing"}
        yield {"client": client, "endpoint": endpoint, "creds": creds}
    finally:
        stop_process(proc, timeout=10)
        log.close()


def add_s3_remote(proj: Path, name: str, url: str, creds: dict):
    """The url is committed (the team shares it); endpoint and keys stay in .dvc/config.local."""
    sh(f"dvc remote add {name} {url}", proj)
    for key, value in creds.items():
        sh(f"dvc remote modify --local {name} {key} {value}", proj)
    sh(f"git add .dvc/config && git commit -q -m 'S3 remote {name}'", proj)
    assert "secret_access_key" not in (proj / ".dvc/config").read_text()
    assert ".dvc/config.local" not in sh("git ls-files .dvc", proj).stdout


# ---------------------------------------------------------------------------------------------


def test_round_trip_through_the_default_local_remote(published):
    trainer = published["proj"]
    user = clone(trainer, trainer.parent / "user")  # a fresh clone next to it: same default remote
    assert not (user / ADAPTER).exists()

    proc = sh(PULL, user, env=run_env() | {"DVC_IGNORE_ISATTY": "true"})  # progress bars as on a terminal
    assert "md5 verified" in proc.stdout
    assert "Fetching" in proc.stderr and "Checking out models/adapter" in proc.stderr, (
        "DVC's progress is shown"
    )
    assert adapter_files(user) == adapter_files(trainer), "the pulled adapter is byte-identical"
    assert_loadable(user)
    # No stage ran: no data was produced or fetched; metrics came with git, as dvc.lock records them.
    assert not (user / "data" / "split").exists() and not (user / "data" / "raw").exists()
    assert filecmp.cmp(user / "metrics" / "train.json", trainer / "metrics" / "train.json", shallow=False)
    assert "warning" not in proc.stderr
    # dvc agrees the workspace adapter is the one dvc.lock records.
    status = sh("dvc status train --json", user).stdout
    assert "models/adapter" not in status

    again = sh(PULL, user)
    assert "up to date" in again.stdout and "<-" not in again.stdout, "nothing is fetched twice"


def test_round_trip_through_s3(published, s3, tmp_path):
    trainer = published["proj"]
    add_s3_remote(trainer, "s3remote", "s3://medassist/dvc", s3["creds"])
    proc = sh(f"{PUSH} -r s3remote", trainer)
    assert "s3://medassist/dvc" in proc.stdout
    keys = {o["Key"] for o in s3["client"].list_objects_v2(Bucket="medassist", Prefix="dvc/")["Contents"]}
    oid = published["manifest"]["adapter_model.safetensors"]
    assert f"dvc/files/md5/{oid[:2]}/{oid[2:]}" in keys

    user = clone(trainer, tmp_path / "user", s3remote=s3["creds"])
    proc = sh(PULL, user, env=run_env() | {"MEDASSIST_REMOTE": "s3remote"})  # -r, or by environment
    assert "s3://medassist/dvc" in proc.stdout
    assert adapter_files(user) == adapter_files(trainer)
    assert_loadable(user)


def corrupt_local(remote: Path, oid: str):
    obj = remote / "files" / "md5" / oid[:2] / oid[2:]
    obj.chmod(0o644)
    data = bytearray(obj.read_bytes())
    data[len(data) // 2] ^= 0xFF  # same size, one byte flipped
    obj.write_bytes(bytes(data))


@pytest.mark.parametrize("what", ["adapter_model.safetensors", "(manifest)"])
def test_corrupted_object_on_local_remote_is_reported(published, tmp_path, what):
    bad = tmp_path / "bad-remote"
    shutil.copytree(published["remote"], bad)
    oid = published["manifest"][what]
    corrupt_local(bad, oid)
    user = clone(published["proj"], tmp_path / "user", storage={"url": bad})

    line = assert_clear_error(sh(PULL, user, check=False), "holds corrupted data", oid, "remote 'storage'")
    if what != "(manifest)":
        assert what in line
    assert_no_partial_adapter(user)
    assert not (user / ".dvc/cache/files/md5" / oid[:2] / oid[2:]).exists(), "the bad object is dropped"

    # Pointed back at a good remote (one command), the same clone pulls fine.
    sh(f"dvc remote modify --local storage url {published['remote']}", user)
    sh(PULL, user)
    assert adapter_files(user) == adapter_files(published["proj"])


def test_corrupted_object_on_s3_is_reported(published, s3, tmp_path):
    """s3bad does not set `verify`: pull sets it for the remote it fetches from."""
    trainer = published["proj"]
    add_s3_remote(trainer, "s3bad", "s3://medassist/damaged", s3["creds"])
    sh(f"{PUSH} -r s3bad", trainer)
    oid = published["manifest"]["adapter_model.safetensors"]
    key = f"damaged/files/md5/{oid[:2]}/{oid[2:]}"
    body = bytearray(s3["client"].get_object(Bucket="medassist", Key=key)["Body"].read())
    body[100] ^= 0xFF
    s3["client"].put_object(Bucket="medassist", Key=key, Body=bytes(body))

    user = clone(trainer, tmp_path / "user", s3bad=s3["creds"])
    assert "remote.s3bad.verify" not in sh("dvc config --list", user).stdout
    assert_clear_error(
        sh(f"{PULL} -r s3bad", user, check=False),
        "holds corrupted data",
        "adapter_model.safetensors",
        oid,
        "s3://medassist/damaged",
    )
    assert_no_partial_adapter(user)
    assert not (user / ".dvc/cache/files/md5" / oid[:2] / oid[2:]).exists(), "the bad download is dropped"


def test_missing_object_on_remote_is_reported(published, tmp_path):
    bad = tmp_path / "bad-remote"
    shutil.copytree(published["remote"], bad)
    oid = published["manifest"]["adapter_model.safetensors"]
    (bad / "files" / "md5" / oid[:2] / oid[2:]).unlink()
    user = clone(published["proj"], tmp_path / "user", storage={"url": bad})

    assert_clear_error(
        sh(PULL, user, check=False), "models/adapter is not (completely) on remote 'storage'", oid
    )
    assert_no_partial_adapter(user)


def test_empty_or_wrong_bucket_is_reported(published, s3, tmp_path):
    s3["client"].create_bucket(Bucket="empty")
    user = clone(published["proj"], tmp_path / "user")
    sh("dvc remote add --local nothing s3://empty/dvc", user)
    for key, value in s3["creds"].items():
        sh(f"dvc remote modify --local nothing {key} {value}", user)
    assert_clear_error(
        sh(f"{PULL} -r nothing", user, check=False), "is not (completely) on remote 'nothing'", "never pushed"
    )
    assert_no_partial_adapter(user)


@pytest.mark.parametrize(
    "setup, args, words",
    [
        (
            "dvc remote add --local dead s3://medassist/dvc && dvc remote modify --local dead endpointurl "
            "http://127.0.0.1:{closed} && dvc remote modify --local dead access_key_id testing && "
            "dvc remote modify --local dead secret_access_key testing",
            "-r dead",
            ["cannot reach remote 'dead'", "127.0.0.1:{closed}"],
        ),
        (
            "dvc remote modify --local storage url {tmp}/not-mounted/medassist",
            "",
            ["remote 'storage'", "does not exist", "dvc remote modify --local storage url"],
        ),
        ("true", "-r nosuch", ["DVC remote 'nosuch' is not configured", "storage"]),
        ("dvc remote add --local box ssh://127.0.0.1:{closed}/srv/dvc", "-r box", ["pip install dvc-ssh"]),
        (
            "dvc remote add --local site http://127.0.0.1:{closed}/dvc",
            "-r site",
            ["cannot reach remote 'site'"],
        ),
    ],
    ids=["s3-endpoint-down", "local-dir-missing", "unknown-remote", "plugin-missing", "http-down"],
)
def test_unreachable_or_misconfigured_remote(published, tmp_path, setup, args, words):
    closed = free_port()
    fill = {"closed": closed, "tmp": tmp_path}
    user = clone(published["proj"], tmp_path / "user")
    sh(setup.format(**fill), user)
    start = time.monotonic()
    assert_clear_error(sh(f"{PULL} {args}", user, check=False), *(w.format(**fill) for w in words))
    assert time.monotonic() - start < 60, "fails fast instead of spending DVC's retries"
    assert_no_partial_adapter(user)


def test_push_to_an_unmounted_shared_path_is_refused(published, tmp_path):
    trainer = tmp_path / "trainer"
    shutil.copytree(published["proj"], trainer, symlinks=True)
    sh(f"dvc remote modify --local storage url {tmp_path}/mnt/shared/medassist", trainer)
    assert_clear_error(sh(PUSH, trainer, check=False), "cannot be created", "is the shared mount mounted")
    assert not (tmp_path / "mnt").exists()


def test_push_without_a_trained_adapter_says_so(published, tmp_path):
    user = clone(published["proj"], tmp_path / "user")  # a clone: dvc.lock, but an empty DVC cache
    proc = sh(PUSH, user, check=False)
    assert_clear_error(proc, "no trained adapter to push", "dvc repro")
    assert "not in the local DVC cache" in proc.stderr


def test_local_changes_are_not_overwritten_without_force(published, tmp_path):
    user = clone(published["proj"], tmp_path / "user", storage={"url": published["remote"]})
    sh(PULL, user)
    meta = user / ADAPTER / "medassist.json"
    meta.write_text(meta.read_text() + "\n")  # an adapter the DVC cache cannot restore
    edited = adapter_files(user)

    assert_clear_error(sh(PULL, user, check=False), "medassist.json", "--force")
    assert adapter_files(user) == edited, "left untouched"
    sh(f"{PULL} --force", user)
    assert adapter_files(user) == adapter_files(published["proj"])


@pytest.mark.parametrize("had_one", [False, True], ids=["none-before", "old-one-kept"])
def test_interrupted_copy_leaves_no_partial_adapter(published, tmp_path, monkeypatch, had_one):
    """The adapter is checked out (by DVC) beside models/adapter and renamed into place in one step."""
    import dvc_data.hashfile.checkout

    from medassist.core import MedassistError
    from medassist.share.remote import pull

    user = clone(published["proj"], tmp_path / "user", storage={"url": published["remote"]})
    sh(PULL, user)  # objects now in the clone's cache: the next pull fetches nothing
    if had_one:  # an older adapter, which the cache can restore: replaced only by a complete one
        (user / ADAPTER / "README.md").unlink()
        before = adapter_files(user)
    else:
        shutil.rmtree(user / ADAPTER)

    copied, real_transfer = [], dvc_data.hashfile.checkout.transfer

    def failing_transfer(from_fs, from_path, to_fs, to_path, **kwargs):  # DVC's checkout: one file at a time
        if len(copied) == 3:
            raise OSError(28, "No space left on device")
        copied.append(to_path)
        return real_transfer(from_fs, from_path, to_fs, to_path, **kwargs)

    monkeypatch.chdir(user)
    monkeypatch.setattr(dvc_data.hashfile.checkout, "transfer", failing_transfer)
    with pytest.raises(MedassistError, match="could not write models/adapter: .*No space left on device"):
        pull()
    assert len(copied) == 3
    if had_one:
        assert adapter_files(user) == before, "the old adapter is left as it was"
        assert not list((user / "models").glob(".adapter*")), "no temporary directories left behind"
    else:
        assert_no_partial_adapter(user)


def test_missing_credentials_are_named(published, s3, tmp_path):
    user = clone(published["proj"], tmp_path / "user")
    sh(
        "dvc remote add --local anon s3://medassist/dvc && "
        f"dvc remote modify --local anon endpointurl {s3['endpoint']}",
        user,
    )
    nowhere = str(tmp_path / "no-such-file")
    env = {k: v for k, v in run_env().items() if not k.startswith("AWS_")}
    env |= {
        "AWS_SHARED_CREDENTIALS_FILE": nowhere,
        "AWS_CONFIG_FILE": nowhere,
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    assert_clear_error(
        sh(f"{PULL} -r anon", user, check=False, env=env),
        "remote 'anon'",
        "Unable to locate credentials",
        "dvc remote modify --local anon",
    )
    assert_no_partial_adapter(user)


def test_push_leaves_a_damaged_cache_object_out(published, tmp_path):
    """DVC's push uploads what the cache holds; a damaged adapter object is found, dropped, not pushed."""
    trainer = tmp_path / "trainer"
    shutil.copytree(published["proj"], trainer, symlinks=True)
    sh(f"dvc remote modify --local storage url {tmp_path}/remote", trainer)
    oid = published["manifest"]["adapter_model.safetensors"]
    corrupt_local(trainer / ".dvc/cache", oid)
    proc = sh(PUSH, trainer, check=False)
    assert_clear_error(proc, "no trained adapter to push", "not in the local DVC cache", "dvc repro")
    assert "not pushed, not in the local DVC cache (or damaged there): models/adapter" in proc.stderr
    assert not (trainer / ".dvc/cache/files/md5" / oid[:2] / oid[2:]).exists(), "dropped from the cache"
    assert not (tmp_path / "remote" / "files/md5" / oid[:2] / oid[2:]).exists(), "never uploaded"


def test_the_default_remote_verifies_downloads():
    """DVC re-hashes what it fetches only where a remote sets `verify` (off by default)."""
    assert sh("dvc config --project remote.storage.verify", ROOT).stdout.strip() == "true"
