"""The demo server's OpenAI-compatible API (/v1), driven with the official `openai` client.

The server is the real `python -m medassist.serve` on an adapter trained on the tiny model (the
same fixture as tests/test_demo.py); /stats (gradio_client) tells whether the model ran.
"""

from __future__ import annotations

import threading
import time

import httpx
import openai
import pytest
from conftest import TINY
from openai import OpenAI
from test_demo import EMERGENCY_NUMBER, POSSIBLE_EMERGENCY, launch_demo, serve_with_login

from medassist.model.chat import encode_prompt
from medassist.serve.api import MAX_WAITING, MODEL_ID
from medassist.serve.safety import (
    MAX_MESSAGE_CHARS,
    check_emergency,
    emergency_reply,
    possible_emergency_line,
)
from medassist.serve.settings import MAX_NEW_TOKENS_LIMIT

QUESTION = "What are the symptoms of iron deficiency anemia?"


@pytest.fixture(scope="module")
def server(trained_project, tmp_path_factory):
    log_path = tmp_path_factory.mktemp("api") / "server.log"
    with launch_demo(trained_project, log_path) as (url, proc):
        yield {"url": url, "proc": proc, "log": log_path, "project": trained_project}


@pytest.fixture(scope="module")
def client(server):
    return OpenAI(base_url=server["url"] + "v1", api_key="unused", max_retries=0, timeout=300)


@pytest.fixture(scope="module")
def page(server):
    from gradio_client import Client

    return Client(server["url"], verbose=False, download_files=False)


@pytest.fixture(scope="module")
def tokenizer():
    from medassist.model.loading import load_tokenizer

    return load_tokenizer(str(TINY))


def stats(page) -> dict:
    return page.predict(api_name="/stats")


def ask(client, content, **kwargs):
    kwargs.setdefault("temperature", 0)
    return client.chat.completions.create(
        model=MODEL_ID, messages=[{"role": "user", "content": content}], **kwargs
    )


# --------------------------------------------------------------------------------------------


def test_models_names_the_adapter_and_its_base(client):
    models = client.models.list().data
    assert [m.id for m in models] == [MODEL_ID]
    assert models[0].root == "models/adapter" and models[0].parent == "tests/fixtures/tiny-llama"


def test_completion_is_the_pages_answer(server, client, page, tokenizer):
    from gradio_client import Client

    before = stats(page)["model_calls"]
    reply = ask(client, QUESTION, max_tokens=24)
    choice = reply.choices[0]
    assert reply.object == "chat.completion" and reply.model == MODEL_ID
    assert choice.message.role == "assistant" and choice.message.content.strip()
    fresh_session = Client(server["url"], verbose=False, download_files=False)  # no earlier turns
    # greedy, same service
    assert choice.message.content == fresh_session.predict(QUESTION, 0.0, 24, api_name="/chat")
    assert stats(page)["model_calls"] == before + 2
    assert reply.usage.prompt_tokens == len(encode_prompt(tokenizer, QUESTION))  # the shared chat format
    assert 0 < reply.usage.completion_tokens <= 24
    assert choice.finish_reason == ("length" if reply.usage.completion_tokens == 24 else "stop")


def test_streaming_sends_the_same_answer_in_pieces(client):
    whole = ask(client, QUESTION, max_tokens=32).choices[0].message.content
    chunks = list(ask(client, QUESTION, max_tokens=32, stream=True, stream_options={"include_usage": True}))
    pieces = [c.choices[0].delta.content for c in chunks if c.choices and c.choices[0].delta.content]
    assert len(pieces) >= 2, pieces  # streamed, not one block
    assert "".join(pieces) == whole
    assert chunks[0].choices[0].delta.role == "assistant"
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] in ("stop", "length")
    assert chunks[-1].choices == [] and chunks[-1].usage.completion_tokens > 0
    assert all(c.object == "chat.completion.chunk" and c.id == chunks[0].id for c in chunks)


def test_conversation_uses_the_shared_chat_format_without_system_prompt(client, tokenizer):
    q1, a1, q2 = "What is anemia?", "Low hemoglobin.", "What causes it?"
    reply = client.chat.completions.create(
        model=MODEL_ID,
        temperature=0,
        max_tokens=8,
        messages=[
            {"role": "system", "content": "You are a pirate."},  # ignored: never trained with one
            {"role": "user", "content": q1},
            {"role": "assistant", "content": [{"type": "text", "text": a1}]},
            {"role": "user", "content": [{"type": "text", "text": q2}]},
        ],
    )
    assert reply.usage.prompt_tokens == len(encode_prompt(tokenizer, q2, [(q1, a1)]))


@pytest.mark.parametrize("stream", [False, True])
@pytest.mark.parametrize("message", ["I have crushing chest pain and I'm sweating", "I want to kill myself"])
def test_red_flag_gets_the_emergency_reply_not_the_model(client, page, message, stream):
    before = stats(page)
    if stream:
        text = "".join(
            c.choices[0].delta.content or "" for c in ask(client, message, stream=True) if c.choices
        )
    else:
        reply = ask(client, message)
        text = reply.choices[0].message.content
        assert reply.usage.completion_tokens == 0
    assert text == emergency_reply(check_emergency(message), EMERGENCY_NUMBER)
    after = stats(page)
    assert after["model_calls"] == before["model_calls"]  # the model never ran
    assert after["emergency_replies"] == before["emergency_replies"] + 1


@pytest.mark.parametrize("stream", [False, True])
def test_possible_emergency_gets_the_call_now_line_then_the_model(client, page, stream):
    before = stats(page)
    if stream:
        text = "".join(
            c.choices[0].delta.content or ""
            for c in ask(client, POSSIBLE_EMERGENCY, stream=True)
            if c.choices
        )
    else:
        text = ask(client, POSSIBLE_EMERGENCY).choices[0].message.content
    line = possible_emergency_line(check_emergency(POSSIBLE_EMERGENCY), EMERGENCY_NUMBER)
    assert text.startswith(line + "\n\n") and len(text) > len(line) + 2
    after = stats(page)
    assert after["model_calls"] == before["model_calls"] + 1
    assert after["emergency_replies"] == before["emergency_replies"]


def test_bad_requests_get_openai_errors_and_the_server_keeps_serving(server, client, page):
    before = stats(page)["model_calls"]
    user = [{"role": "user", "content": QUESTION}]
    bad = {
        "no messages": dict(messages=[]),
        "too many tokens": dict(messages=user, max_tokens=MAX_NEW_TOKENS_LIMIT + 1),
        "temperature": dict(messages=user, temperature=3),
        "last is not the user's": dict(messages=user + [{"role": "assistant", "content": "Hi"}]),
        "unknown role": dict(messages=[{"role": "wizard", "content": "hi"}]),
        "empty question": dict(messages=[{"role": "user", "content": "   "}]),
        "overlong question": dict(messages=[{"role": "user", "content": "x " * MAX_MESSAGE_CHARS}]),
        "over the context": dict(messages=[{"role": "user", "content": "x" * 3000}]),
        "n": dict(messages=user, n=2),
    }
    for why, kwargs in bad.items():
        with pytest.raises(openai.BadRequestError) as info:
            client.chat.completions.create(model=MODEL_ID, **kwargs)
        error = info.value.body
        assert error["type"] == "invalid_request_error" and error["message"], why
    with pytest.raises(openai.BadRequestError, match="context"):
        ask(client, "x" * 3000)
    with pytest.raises(openai.NotFoundError, match=MODEL_ID):
        client.chat.completions.create(model="gpt-4o", messages=user)

    url = server["url"] + "v1/chat/completions"
    for body in (
        b"{not json",
        b"[1, 2]",
        b'{"model": "medassist", "messages": "What is anemia?"}',
        b'{"model": "medassist"}',
    ):
        response = httpx.post(url, content=body, headers={"Content-Type": "application/json"}, timeout=30)
        assert response.status_code == 400, body
        assert set(response.json()["error"]) == {"message", "type", "param", "code"}
        assert "\n" not in response.json()["error"]["message"]
    assert stats(page)["model_calls"] == before  # nothing reached the model
    assert ask(client, "What is anemia?", max_tokens=8).choices[0].message.content.strip()  # still serving


def test_twenty_concurrent_requests_are_all_answered(client, page):
    """Queued one at a time on the one model; none lost (streaming and not, mixed)."""
    assert MAX_WAITING >= 20
    answers: dict[int, str] = {}

    def one(i: int) -> None:
        question = f"What are the risk factors for stroke? ({i})"
        if i % 2:
            answers[i] = "".join(
                c.choices[0].delta.content or ""
                for c in ask(client, question, max_tokens=6, stream=True)
                if c.choices
            )
        else:
            answers[i] = ask(client, question, max_tokens=6).choices[0].message.content

    before = stats(page)["model_calls"]
    threads = [threading.Thread(target=one, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    assert sorted(answers) == list(range(20)) and all(a.strip() for a in answers.values())
    s = stats(page)
    assert (
        s["model_calls"] == before + 20 and s["max_active_generations"] == 1 and s["active_generations"] == 0
    )


def test_a_client_that_leaves_stops_its_generation(client, page):
    before = stats(page)
    stream = ask(
        client,
        "What is the mechanism of action of metformin?",
        temperature=1.5,
        max_tokens=MAX_NEW_TOKENS_LIMIT,
        stream=True,
    )
    for chunk in stream:
        if chunk.choices and chunk.choices[0].delta.content:
            break
    stream.close()
    deadline = time.monotonic() + 60
    while stats(page)["active_generations"] and time.monotonic() < deadline:
        time.sleep(0.1)
    s = stats(page)
    assert s["active_generations"] == 0 and s["model_calls"] == before["model_calls"] + 1
    if not s["last_generation"]["stopped"]:
        assert s["last_generation"]["ended_with_eos"], (
            "the generation ran on to max_tokens after the client left"
        )
        pytest.skip(
            f"the model finished ({s['last_generation']['new_tokens']} tokens) before the client left"
        )
    assert s["last_generation"]["new_tokens"] < MAX_NEW_TOKENS_LIMIT


def test_a_non_streaming_client_that_times_out_stops_its_generation(server, client, page):
    before = stats(page)
    impatient = OpenAI(base_url=server["url"] + "v1", api_key="unused", max_retries=0, timeout=0.5)
    try:
        ask(
            impatient,
            "What is the mechanism of action of metformin?",
            temperature=1.5,
            max_tokens=MAX_NEW_TOKENS_LIMIT,
        )
        pytest.skip("the model answered (ended with EOS) before the client's timeout")
    except openai.APITimeoutError:
        pass
    deadline = time.monotonic() + 120
    while (s := stats(page))["model_calls"] == before["model_calls"] or s["active_generations"]:
        assert time.monotonic() < deadline, s
        time.sleep(0.1)
    if not s["last_generation"]["stopped"]:
        assert s["last_generation"]["ended_with_eos"], (
            "the generation ran on to max_tokens after the client left"
        )
        pytest.skip(
            f"the model finished ({s['last_generation']['new_tokens']} tokens) before the client left"
        )
    assert s["last_generation"]["new_tokens"] < MAX_NEW_TOKENS_LIMIT
    assert s["stopped_generations"] == before["stopped_generations"] + 1


def test_api_needs_demo_auth_as_its_key(trained_project, monkeypatch):
    with serve_with_login(trained_project, monkeypatch) as base:
        for key in ("unused", "ann:wrong", "ann"):
            with pytest.raises(openai.AuthenticationError):
                OpenAI(base_url=base + "v1", api_key=key, max_retries=0).models.list()
        assert httpx.get(base + "v1/models", timeout=10).status_code == 401
        assert httpx.get(base + "config", timeout=10).status_code == 401  # the page still needs its login
        authed = OpenAI(base_url=base + "v1", api_key="ann:s3cret", max_retries=0)
        assert [m.id for m in authed.models.list().data] == [MODEL_ID]
        reply = authed.chat.completions.create(
            model=MODEL_ID, messages=[{"role": "user", "content": "My dad is not breathing"}]
        )
        assert "call 000" in reply.choices[0].message.content
        basic = httpx.post(
            base + "v1/chat/completions",
            auth=("ann", "s3cret"),
            timeout=120,
            json={
                "model": MODEL_ID,
                "max_tokens": 4,
                "messages": [{"role": "user", "content": "What is anemia?"}],
            },
        )
        assert basic.status_code == 200 and basic.json()["choices"][0]["message"]["content"]
