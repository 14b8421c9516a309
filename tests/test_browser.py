"""The demo in a real browser: Playwright drives Debian's chromium (installed by .ci/run).

Types a question and watches the answer stream into the page (the bot message grows over several
renders while the Stop button shows), then stops a long answer with the Stop button. Screenshots
are saved under artifacts/browser/ (git-ignored; MEDASSIST_TEST_ARTIFACTS moves them).
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import ROOT
from test_demo import EMERGENCY_NUMBER, launch_demo

from medassist.serve.safety import DISCLAIMER

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(os.environ.get("MEDASSIST_TEST_ARTIFACTS", ROOT / "artifacts")) / "browser"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="/usr/bin/chromium is absent: `apt-get install -y chromium` (.ci/run does)"
)


@pytest.fixture(scope="module")
def demo_url(trained_project, tmp_path_factory):
    with launch_demo(trained_project, tmp_path_factory.mktemp("browser") / "server.log") as (url, _proc):
        yield url


@contextmanager
def open_page(url: str):
    """The demo's page in headless chromium, its message box ready."""
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1100})
            page.set_default_timeout(60_000)
            page.goto(url, wait_until="load")
            message_box(page).wait_for()
            yield page
        finally:
            browser.close()


@pytest.fixture
def page(demo_url):
    with open_page(demo_url) as page:
        yield page


def message_box(page):
    # By id, not by placeholder: Gradio's ChatInterface blanks the placeholder on the first submit.
    return page.locator("#message textarea")


def send(page, message: str) -> None:
    box = message_box(page)
    box.fill(message)
    box.press("Enter")


def ask(page, question: str) -> None:
    """Send a question and wait until the page shows its answer's bubble (the answer may already be
    complete: a short one can finish before the Stop button ever renders)."""
    before = page.locator(".message.user").count()
    send(page, question)
    deadline = time.monotonic() + 60
    while page.locator(".message.user").count() <= before and time.monotonic() < deadline:
        time.sleep(0.02)


# Sampled answers vary: one may draw </s> after a few words. A test asks again (up to this many
# questions) until an answer runs long enough to watch; every attempt is a real round trip.
QUESTIONS = [
    "What are the risk factors for stroke?",
    "What is the mechanism of action of metformin?",
    "How is pneumonia treated?",
    "What causes asthma?",
    "What are the symptoms of diabetes?",
    "What is the function of the thyroid gland?",
]


def running(page) -> bool:
    """ChatInterface disables the message box from the submit until the answer is complete (the
    Stop button renders later than that, and a short answer may be done before it ever shows)."""
    return message_box(page).is_disabled()


def wait_until_idle(page) -> None:
    from playwright.sync_api import expect

    expect(message_box(page)).to_be_enabled(timeout=120_000)


def bot_text(page) -> str:
    if page.locator(".message.bot .pending, .message.bot.pending").count():
        return ""  # the "thinking" placeholder, not text
    bot = page.locator(".message.bot")
    return bot.last.inner_text().strip() if bot.count() else ""


def set_setting(page, name: str, value: float) -> None:
    box = page.get_by_role("spinbutton", name=name)
    box.fill(str(value))
    box.press("Enter")


def long_answers(page, max_new_tokens: int) -> None:
    """The tiny model's greedy answers are a few words, done before a browser sees them stream;
    sampled at a high temperature it rarely picks </s>, so the answer runs for a while."""
    set_setting(page, "Temperature", 1.5)
    set_setting(page, "Max new tokens", max_new_tokens)


def settle(page) -> None:
    page.mouse.move(1, 1)  # no hover toolbars over the messages in the screenshot
    page.wait_for_timeout(300)


def test_question_streams_into_the_page(page):
    assert page.get_by_text(DISCLAIMER).is_visible()
    assert page.get_by_text("Model being served").is_visible()
    assert page.get_by_text("tests/fixtures/tiny-llama").first.is_visible()
    page.screenshot(path=str(ARTIFACTS / "demo_start.png"))

    long_answers(page, 192)  # an answer that fits the chat window, for the screenshot
    for question in QUESTIONS:
        ask(page, question)
        seen: list[str] = []
        deadline = time.monotonic() + 120
        while running(page) and time.monotonic() < deadline:
            text = bot_text(page)
            if text and (not seen or text != seen[-1]):
                seen.append(text)
            time.sleep(0.02)
        wait_until_idle(page)
        final = bot_text(page)
        assert page.locator(".message.user").last.inner_text().strip() == question
        assert final
        assert all(final.startswith(s) for s in seen), "each rendered state should extend the previous one"
        if len(seen) >= 3:
            break
    settle(page)
    page.screenshot(path=str(ARTIFACTS / "demo_answer.png"))
    assert len(seen) >= 3, (
        f"no answer streamed in over {len(QUESTIONS)} questions: lengths {[len(s) for s in seen]}"
    )


def test_stop_button_stops_the_answer(page, demo_url):
    from gradio_client import Client
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    stats = Client(demo_url, verbose=False, download_files=False)
    long_answers(page, 1024)
    for question in QUESTIONS:
        ask(page, question)
        deadline = time.monotonic() + 120
        while len(bot_text(page)) < 40 and running(page) and time.monotonic() < deadline:
            time.sleep(0.02)
        try:
            page.locator(".stop-button").click(timeout=5_000)
        except PlaywrightTimeout:  # the answer ended on its own before the click
            wait_until_idle(page)
            continue
        wait_until_idle(page)
        stopped_at = bot_text(page)
        time.sleep(1.5)
        assert bot_text(page) == stopped_at and stopped_at  # nothing more arrives after Stop
        last = stats.predict(api_name="/stats")["last_generation"]
        if last["stopped"]:
            break
    else:
        pytest.fail(f"no answer ran long enough to be stopped over {len(QUESTIONS)} questions")
    settle(page)
    page.screenshot(path=str(ARTIFACTS / "demo_stopped.png"))

    assert (last["temperature"], last["max_new_tokens"]) == (1.5, 1024)  # the settings reached the model
    assert last["stopped"] and last["new_tokens"] < 1024  # the server-side generation ended early


def test_emergency_message_gets_the_fixed_reply(page, demo_url):
    from gradio_client import Client

    stats = Client(demo_url, verbose=False, download_files=False)
    before = stats.predict(api_name="/stats")["model_calls"]
    send(page, "My dad has crushing chest pain and is sweating")
    page.locator(".message.bot").get_by_text(
        f"call {EMERGENCY_NUMBER} or your local emergency number now"
    ).wait_for()
    wait_until_idle(page)
    assert stats.predict(api_name="/stats")["model_calls"] == before  # the model never ran
    settle(page)
    page.screenshot(path=str(ARTIFACTS / "demo_emergency.png"))
