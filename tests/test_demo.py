"""`make demo`: the Gradio chat over the trained adapter.

Fast tests check the pieces in-process (settings, history -> prompt, stopping a stream, the model
panel). The server tests launch the real app (`python -m medassist.serve`) from a project whose
`dvc repro train` trained an adapter on the tiny model, and talk to it with gradio_client. The
server runs with DEMO_STATS=1, which adds a /stats endpoint of request counters (no text): it is
how the tests see whether a reply came from the model (model_calls moves) or not.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import psutil
import pytest
import torch
from conftest import TINY, run_env, sh, stop_process
from test_summary import META, write_metrics

from medassist.core import MedassistError
from medassist.evaluation.summary import scores_table
from medassist.model.chat import encode_prompt
from medassist.model.streaming import stream_generate
from medassist.serve.app import EXAMPLES, model_panel
from medassist.serve.prompting import content_text, fit_prompt, history_turns
from medassist.serve.safety import (
    DISCLAIMER,
    MAX_MESSAGE_CHARS,
    check_emergency,
    emergency_reply,
    possible_emergency_line,
)
from medassist.serve.service import ChatService
from medassist.serve.settings import settings_from_env

EMERGENCY_NUMBER = "112"  # the server under test is configured with a non-default number


# --------------------------------------------------------------------------------------------
# Launching the demo (also used by test_browser.py)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def launch_demo(project: Path, log_path: Path, **env_overrides):
    """Run `python -m medassist.serve` in `project`; yield (url, process) once it answers HTTP."""
    port = free_port()
    env = run_env()
    env.update(
        PORT=str(port),
        DEMO_STATS="1",
        EMERGENCY_NUMBER=EMERGENCY_NUMBER,
        GRADIO_ANALYTICS_ENABLED="False",
        **env_overrides,
    )
    env.pop("SHARE", None)
    env.pop("DEMO_HOST", None)
    log = log_path.open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "medassist.serve"],
        cwd=project,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        import httpx

        deadline = time.monotonic() + 240
        while True:
            if proc.poll() is not None:
                raise AssertionError(f"demo exited with {proc.returncode}:\n{log_path.read_text()[-4000:]}")
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"demo did not start in time:\n{log_path.read_text()[-4000:]}")
            time.sleep(0.5)
        yield url, proc
    finally:
        stop_process(proc, timeout=20)
        log.close()


@pytest.fixture(scope="module")
def server(trained_project, tmp_path_factory):
    log_path = tmp_path_factory.mktemp("demo") / "server.log"
    with launch_demo(trained_project, log_path) as (url, proc):
        yield {"url": url, "proc": proc, "log": log_path, "project": trained_project}


@pytest.fixture
def client(server):
    """A new API session per test (the /chat endpoint keeps each session's conversation)."""
    from gradio_client import Client

    return Client(server["url"], verbose=False, download_files=False)


def stats(client) -> dict:
    return client.predict(api_name="/stats")


# --------------------------------------------------------------------------------------------
# Settings


def test_defaults_are_safe():
    s = settings_from_env({})
    assert (s.host, s.port, s.share, s.auth, s.emergency_number, s.stats) == (
        "127.0.0.1",
        7860,
        False,
        None,
        "911",
        False,
    )
    assert s.adapter == Path("models/adapter")


def test_settings_from_env():
    s = settings_from_env({"PORT": "8123", "SHARE": "1", "DEMO_AUTH": "ann:pa:ss", "EMERGENCY_NUMBER": "999"})
    assert (s.port, s.share, s.auth, s.emergency_number) == (8123, True, ("ann", "pa:ss"), "999")
    assert settings_from_env({"SHARE": "0"}).share is False
    assert settings_from_env({"CRISIS_LINE": " 116 123 "}).crisis_line == "116 123"
    assert settings_from_env({}).crisis_line == ""
    for bad in (
        {"PORT": "http"},
        {"PORT": "70000"},
        {"DEMO_AUTH": "nopassword"},
        {"DEMO_AUTH": ":x"},
        {"SHARE": "maybe"},
    ):
        with pytest.raises(MedassistError):
            settings_from_env(bad)


# --------------------------------------------------------------------------------------------
# History -> turns -> prompt


@pytest.fixture(scope="module")
def tokenizer():
    from medassist.model.loading import load_tokenizer

    return load_tokenizer(str(TINY))


def test_history_turns_from_gradio6_messages():
    history = [
        {"role": "user", "content": [{"type": "text", "text": "What is anemia?"}]},
        {
            "role": "assistant",
            "content": [{"type": "text", "text": "Low hemoglobin."}, {"type": "text", "text": "Often iron."}],
        },
        {"role": "user", "content": "I have crushing chest pain"},  # answered with the fixed reply
        {"role": "assistant", "content": "This sounds like it could be a medical emergency..."},
        {"role": "user", "content": "   "},  # empty: dropped
        {"role": "user", "content": "What causes it?"},
        {"role": "assistant", "content": [{"type": "file", "file": {"path": "x.png"}}]},  # no text: dropped
        {"role": "assistant", "content": "Blood loss, diet."},
        {"role": "user", "content": "Unanswered question (e.g. stopped before any text)"},
    ]
    assert history_turns(history) == [
        ("What is anemia?", "Low hemoglobin.\nOften iron."),
        ("What causes it?", "Blood loss, diet."),
    ]
    assert history_turns(None) == [] and history_turns([]) == []
    assert content_text({"type": "text", "text": "hi"}) == "hi"


def test_fit_prompt_keeps_recent_turns_in_the_shared_format(tokenizer):
    turns = [(f"Question {i} about the kidney?", "An answer. " * 40) for i in range(30)]
    question = "And the liver?"
    window, max_new = 2048, 256
    ids, kept = fit_prompt(tokenizer, question, turns, max_new, window)
    assert 0 < kept < len(turns)  # trimmed, not emptied
    assert ids == encode_prompt(tokenizer, question, turns[-kept:])  # the one chat format, newest turns
    assert len(ids) + max_new <= window
    assert len(encode_prompt(tokenizer, question, turns[-kept - 1 :])) + max_new > window  # as many as fit
    ids, kept = fit_prompt(tokenizer, question, turns[:2], max_new, window)
    assert kept == 2 and ids == encode_prompt(tokenizer, question, turns[:2])
    # the question alone is too long
    assert fit_prompt(tokenizer, "x" * 3000, [], max_new, window) == (None, 0)


# --------------------------------------------------------------------------------------------
# Streaming and Stop


class EndlessModel(torch.nn.Module):
    """Generates one word-token forever (no EOS) until a stopping criterion says stop, like generate()."""

    def __init__(self, token_id: int = 280):  # " the" in the tiny tokenizer
        super().__init__()
        self.token_id = token_id
        self.weight = torch.nn.Parameter(torch.zeros(1))
        self.steps = 0
        self.thread_ident = None

    def generate(
        self, input_ids, attention_mask, generation_config, stopping_criteria, streamer, logits_processor=None
    ):
        self.thread_ident = threading.get_ident()
        streamer.put(input_ids[0])  # generate() hands the prompt to the streamer first
        ids = input_ids
        for _ in range(generation_config.max_new_tokens):
            time.sleep(0.005)
            ids = torch.cat([ids, torch.tensor([[self.token_id]])], dim=1)
            self.steps += 1
            streamer.put(ids[0, -1:])
            if stopping_criteria(ids, None).all():
                break
        streamer.end()
        return ids


def test_closing_the_stream_stops_generation(tokenizer):
    model, results = EndlessModel(tokenizer(" the", add_special_tokens=False)["input_ids"][0]), []
    stream = stream_generate(
        model, tokenizer, [1, 2, 3], temperature=0.0, max_new_tokens=100_000, on_done=results.append
    )
    first = next(stream)
    second = next(stream)
    assert first and second.startswith(first) and len(second) > len(first)  # text grows as it streams
    stream.close()  # what Gradio's Stop button (or a client that goes away) does
    assert not any(t.ident == model.thread_ident for t in threading.enumerate())  # generate thread is over
    assert model.steps < 1000
    assert results and results[0].stopped and results[0].new_tokens == model.steps


def test_temperature_zero_is_greedy(tokenizer):
    from medassist.model.decoding import generation_config

    greedy = generation_config(tokenizer, 0.0, 64)
    assert (
        greedy.do_sample is False
        and greedy.max_new_tokens == 64
        and greedy.eos_token_id == tokenizer.eos_token_id
    )
    sampled = generation_config(tokenizer, 0.7, 64)
    assert sampled.do_sample is True and sampled.temperature == 0.7


def test_generation_errors_reach_the_consumer(tokenizer):
    class Broken(EndlessModel):
        def generate(self, **kwargs):
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        list(stream_generate(Broken(), tokenizer, [1, 2], temperature=0.7, max_new_tokens=8))


def test_service_turns_generation_errors_into_a_reply(tokenizer):
    class Broken(EndlessModel):
        def generate(self, **kwargs):
            raise RuntimeError("boom")

    service = ChatService(Broken(), tokenizer, 2048)
    assert list(service.respond("What is anemia?", [])) == [
        "Sorry, something went wrong while generating the answer. Please try again."
    ]
    assert service.stats()["failed_generations"] == 1 and service.stats()["active_generations"] == 0


# --------------------------------------------------------------------------------------------
# The panel


def test_model_panel_with_and_without_metrics(tmp_path):
    text = model_panel(Path("models/adapter"), META, 2048, "CPU", metrics_dir=tmp_path)
    assert "TinyLlama/TinyLlama-1.1B-Chat-v1.0" in text and "models/adapter" in text and "r=16" in text
    assert "No evaluation metrics yet" in text
    write_metrics(tmp_path)
    text = model_panel(Path("models/adapter"), META, 2048, "CPU", metrics_dir=tmp_path)
    assert "\n".join(scores_table(tmp_path)) in text and "train loss 1.234" in text
    other = model_panel(Path("elsewhere/adapter"), META, 2048, "CPU", metrics_dir=None)  # DEMO_ADAPTER=...
    assert "Metrics not shown" in other and "train loss" not in other


# --------------------------------------------------------------------------------------------
# No adapter: never the base model


def test_missing_adapter_stops_with_how_to_train(project):
    proc = sh("python -m medassist.serve", project, check=False, timeout=300)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    err = proc.stderr
    assert "pulling it from the DVC remote" in err and "the DVC pull of it failed" in err
    reason = re.search(r"the DVC pull of it failed: (.+?)\. To get one", err)
    assert reason and len(reason.group(1)) > 20, err  # why, in words (no lock entry, no remote, ...)
    assert "dvc repro" in err and "make smoke" in err and "make pull" in err
    assert "does not serve the base model" in err
    assert "serving" not in err and not (project / "models" / "adapter").exists()


def test_missing_adapter_is_pulled_from_the_remote(trained_project, tmp_path, monkeypatch):
    """`make demo` in a clone without the adapter: it comes from the DVC remote, verified."""
    from medassist.serve.app import resolve_adapter

    trainer = tmp_path / "trainer"
    shutil.copytree(trained_project, trainer, symlinks=True)
    sh("python -m medassist.share.remote push", trainer)  # -> tmp_path/medassist-dvc-remote
    sh("git add -A && git commit -q -m 'trained adapter'", trainer)
    user = tmp_path / "user"
    sh(f"git clone -q {trainer} {user}", tmp_path)
    assert not (user / "models" / "adapter").exists()
    monkeypatch.chdir(user)
    meta = resolve_adapter(Path("models/adapter"))
    assert meta["base_model"] == "tests/fixtures/tiny-llama"
    pulled = user / "models" / "adapter" / "adapter_model.safetensors"
    assert (
        pulled.read_bytes()
        == (trained_project / "models" / "adapter" / "adapter_model.safetensors").read_bytes()
    )


# --------------------------------------------------------------------------------------------
# The live server


def test_chat_api_streams_a_model_reply(client):
    before = stats(client)["model_calls"]
    job = client.submit("What are the symptoms of iron deficiency anemia?", api_name="/chat")
    final = job.result(timeout=180)
    chunks = [c for c in job.outputs() if c]
    assert isinstance(final, str) and final.strip()
    assert len(chunks) >= 2, chunks  # streamed, not one block
    assert all(final.startswith(c) for c in chunks)  # each chunk extends the last
    assert stats(client)["model_calls"] == before + 1


def test_chat_api_accepts_settings(server, client):
    from gradio_client import Client

    reply = client.predict("How is hypertension diagnosed?", 0.0, 16, api_name="/chat")
    last = stats(client)["last_generation"]
    assert (last["temperature"], last["max_new_tokens"]) == (0.0, 16) and last["new_tokens"] <= 16
    other_session = Client(server["url"], verbose=False, download_files=False)
    again = other_session.predict("How is hypertension diagnosed?", 0.0, 16, api_name="/chat")
    assert reply.strip() and reply == again  # temperature 0 = greedy, deterministic
    client.predict("How is hypertension diagnosed?", 0.7, 32, api_name="/chat")
    last = stats(client)["last_generation"]
    assert (last["temperature"], last["max_new_tokens"]) == (0.7, 32)


def test_conversation_history_uses_the_shared_chat_format(client, tokenizer):
    q1, q2 = "What is anemia?", "What causes it?"
    r1 = client.predict(q1, 0.0, 32, api_name="/chat")
    client.predict(q2, 0.0, 32, api_name="/chat")  # same session: a second turn
    assert stats(client)["last_generation"]["prompt_tokens"] == len(encode_prompt(tokenizer, q2, [(q1, r1)]))


@pytest.mark.parametrize(
    "message",
    [
        "I have crushing chest pain and I'm sweating",
        "My mom's face is drooping and her speech is slurred",
        "My baby is not breathing",
        "I took 30 pills of Tylenol",
        "I want to kill myself",
    ],
)
def test_emergency_gets_fixed_reply_without_the_model(client, message):
    before = stats(client)
    reply = client.predict(message, api_name="/chat")
    after = stats(client)
    assert reply == emergency_reply(check_emergency(message), EMERGENCY_NUMBER)
    assert f"call {EMERGENCY_NUMBER}" in reply
    assert after["model_calls"] == before["model_calls"]  # the model never ran
    assert after["emergency_replies"] == before["emergency_replies"] + 1


POSSIBLE_EMERGENCY = (
    "my mum went really pale and sweaty and says she feels awful"  # no rule; the semantic layer
)


def test_possible_emergency_gets_the_model_after_a_call_now_line(client):
    match = check_emergency(POSSIBLE_EMERGENCY)
    assert match is not None and match.kind == "possible_emergency"
    before = stats(client)
    reply = client.predict(POSSIBLE_EMERGENCY, api_name="/chat")
    after = stats(client)
    line = possible_emergency_line(match, EMERGENCY_NUMBER)
    assert reply.startswith(line + "\n\n") and len(reply) > len(line) + 2
    assert f"call {EMERGENCY_NUMBER}" in line
    assert after["model_calls"] == before["model_calls"] + 1  # the model answered
    assert after["possible_emergency_notices"] == before["possible_emergency_notices"] + 1
    assert after["emergency_replies"] == before["emergency_replies"]


def test_self_harm_reply_has_crisis_line(client):
    reply = client.predict("I feel suicidal", api_name="/chat")
    assert "988" in reply and "findahelpline.com" in reply


@pytest.mark.parametrize("message", ["What are the risk factors for stroke?", "How is anaphylaxis treated?"])
def test_educational_question_reaches_the_model(client, message):
    before = stats(client)
    reply = client.predict(message, api_name="/chat")
    after = stats(client)
    assert reply.strip()
    assert after["model_calls"] == before["model_calls"] + 1
    assert after["emergency_replies"] == before["emergency_replies"]


def test_empty_and_oversized_messages_get_helpful_replies(client):
    before = stats(client)
    for empty in ["", "   \n\t "]:
        assert "please type a medical question" in client.predict(empty, api_name="/chat").lower()
    too_many_chars = client.predict("x" * (MAX_MESSAGE_CHARS + 1000), api_name="/chat")
    assert "shorten" in too_many_chars and f"{MAX_MESSAGE_CHARS:,}" in too_many_chars
    too_many_tokens = client.predict("x" * 3000, api_name="/chat")  # under the char cap, over the context
    assert "too long for the model" in too_many_tokens and "2,048" in too_many_tokens
    assert "Max new tokens" in too_many_tokens
    after = stats(client)
    assert after["model_calls"] == before["model_calls"]
    assert after["rejected_inputs"] == before["rejected_inputs"] + 4
    assert client.predict("What is anemia?", 0.0, 16, api_name="/chat").strip()  # still serving


def test_concurrent_users_are_queued(client):
    jobs = [client.submit(q, 0.0, 48, api_name="/chat") for q in EXAMPLES[:3]]
    replies = [job.result(timeout=180) for job in jobs]
    assert all(r.strip() for r in replies)
    assert stats(client)["max_active_generations"] == 1  # never two generations at once


def test_stop_ends_the_generation(client):
    before = stats(client)
    job = client.submit("What is the mechanism of action of metformin?", 1.5, 1024, api_name="/chat")
    deadline = time.monotonic() + 120
    while not [c for c in job.outputs() if c] and not job.done() and time.monotonic() < deadline:
        time.sleep(0.02)
    job.cancel()
    deadline = time.monotonic() + 60
    while (s := stats(client))["active_generations"] and time.monotonic() < deadline:
        time.sleep(0.1)
    s = stats(client)
    assert s["active_generations"] == 0 and s["model_calls"] == before["model_calls"] + 1
    last = s["last_generation"]
    # Stopped early, or (if the model was faster than the cancel) ended on its own: never ran on.
    if last["stopped"]:
        assert s["stopped_generations"] == before["stopped_generations"] + 1
        assert last["new_tokens"] < 1024
    else:
        pytest.skip(f"the model finished ({last['new_tokens']} tokens) before the cancel arrived")


def test_listens_on_loopback_only(server):
    port = int(server["url"].rsplit(":", 1)[1].strip("/"))
    listening = [
        c
        for c in psutil.Process(server["proc"].pid).net_connections(kind="inet")
        if c.status == psutil.CONN_LISTEN
    ]
    assert listening and all(c.laddr.ip == "127.0.0.1" for c in listening), listening
    assert {c.laddr.port for c in listening} == {port}
    others = [
        a.address
        for addrs in psutil.net_if_addrs().values()
        for a in addrs
        if a.family == socket.AF_INET and not a.address.startswith("127.")
    ]
    for address in others:
        with socket.socket() as s, pytest.raises(OSError):
            s.settimeout(3)
            s.connect((address, port))


def test_no_message_text_in_the_logs(server, client):
    marker = f"zebra{uuid.uuid4().hex[:8]}"
    client.predict(f"What is {marker} syndrome?", 0.0, 16, api_name="/chat")
    client.predict(f"I have crushing chest pain {marker}", api_name="/chat")
    client.predict(f"{marker} " * 2000, api_name="/chat")
    time.sleep(0.5)
    assert marker not in server["log"].read_text()


@contextlib.contextmanager
def serve_with_login(project: Path, monkeypatch):
    """The demo served in-process from `project` with DEMO_AUTH ann:s3cret and emergency number 000; yields its URL."""
    from medassist.serve.app import serve
    from medassist.serve.settings import Settings

    monkeypatch.chdir(project)
    port = free_port()
    app = serve(Settings(port=port, auth=("ann", "s3cret"), emergency_number="000"))
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        app.close()


def test_basic_auth_from_settings(trained_project, monkeypatch):
    import httpx
    from gradio_client import Client
    from gradio_client.exceptions import AuthenticationError

    with serve_with_login(trained_project, monkeypatch) as url:
        assert httpx.get(url + "config", timeout=10).status_code == 401
        with pytest.raises(AuthenticationError, match="credentials were not provided"):
            Client(url, verbose=False, download_files=False)
        wrong = httpx.post(url + "login", data={"username": "ann", "password": "wrong"}, timeout=10)
        assert wrong.status_code == 400 and not wrong.cookies  # Gradio's answer to a wrong password
        with pytest.raises(ValueError, match="Could not login"):
            Client(url, auth=("ann", "wrong"), verbose=False, download_files=False)
        authed = Client(url, auth=("ann", "s3cret"), verbose=False, download_files=False)
        assert "call 000" in authed.predict("My dad is not breathing", api_name="/chat")


def test_page_shows_disclaimer_and_served_model(server):
    import httpx

    config = httpx.get(server["url"] + "config", timeout=10).json()
    texts = json.dumps(config)
    assert json.dumps(DISCLAIMER)[1:-1] in texts
    assert "tests/fixtures/tiny-llama" in texts and "models/adapter" in texts  # the panel
    assert "Max new tokens" in texts and "Temperature" in texts
    assert "What are the risk factors for stroke?" in texts  # examples
