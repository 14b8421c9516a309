"""The CUDA path's guards that a CPU can check: the refusal to QLoRA-train a large base on a CPU."""

import pytest
import torch
from conftest import SMOLLM2, TINY

from medassist.core import MedassistError
from medassist.model import loading

pytestmark = pytest.mark.skipif(torch.cuda.is_available(), reason="checks the no-GPU path")


def test_parameter_count_reads_headers_only():
    assert loading.parameter_count("TinyLlama/TinyLlama-1.1B-Chat-v1.0") is None  # a Hub id
    tiny = loading.parameter_count(str(TINY))
    assert 0 < tiny < 5_000_000
    assert abs(loading.parameter_count(SMOLLM2) - 134_515_008) < 1_000_000  # the GGUF's tensors


def test_hub_base_without_gpu_is_refused_before_loading(monkeypatch, capsys):
    monkeypatch.delenv(loading.ALLOW_CPU, raising=False)
    monkeypatch.setattr(loading, "local_model", lambda name: pytest.fail("nothing may load"))
    with pytest.raises(MedassistError) as error:
        loading.require_gpu("TinyLlama/TinyLlama-1.1B-Chat-v1.0", "QLoRA training")
    message = str(error.value)
    assert "\n" not in message and "no usable CUDA GPU" in message
    assert "MEDASSIST_ALLOW_CPU=1" in message and "make doctor" in message


def test_small_local_bases_run_on_the_cpu(monkeypatch):
    monkeypatch.delenv(loading.ALLOW_CPU, raising=False)
    loading.require_gpu(str(TINY), "QLoRA training")
    loading.require_gpu(SMOLLM2, "QLoRA training")  # the offline profile's base (134.5M)


def test_large_local_base_is_refused_unless_opted_in(monkeypatch):
    monkeypatch.delenv(loading.ALLOW_CPU, raising=False)
    monkeypatch.setattr(loading, "CPU_MAX_PARAMS", 1000)
    with pytest.raises(MedassistError, match="parameters"):
        loading.require_gpu(str(TINY), "evaluation")
    monkeypatch.setenv(loading.ALLOW_CPU, "1")
    loading.require_gpu(str(TINY), "evaluation")


def test_export_merges_in_float32_where_the_device_computes_in_float16(monkeypatch, tmp_path):
    """On a GPU load_base computes in fp16; the export must still merge a float32 base: a float32
    export equals the float32 weights merged, not fp16-rounded ones upcast."""
    from peft import get_peft_model
    from safetensors.torch import load_file
    from test_train import tiny_params

    from medassist.model.adapter import save_adapter
    from medassist.model.training import lora_config
    from medassist.share.export import export

    params = tiny_params()
    torch.manual_seed(0)
    model = get_peft_model(loading.load_base(str(TINY), "none"), lora_config(params.lora))
    for name, param in model.named_parameters():
        if "lora_B" in name:
            torch.nn.init.normal_(param, std=0.02)  # a trained-looking adapter: B is not zero
    save_adapter(tmp_path / "adapter", model, loading.load_tokenizer(str(TINY)), params)
    reference = {k: v.detach().clone() for k, v in model.merge_and_unload().state_dict().items()}

    monkeypatch.setattr(loading, "compute_dtype", lambda: torch.float16)  # what a CUDA machine has
    merged = "model.layers.0.self_attn.q_proj.weight"  # a LoRA target: W + BA, which fp16 cannot hold
    assert not torch.equal(reference[merged], reference[merged].half().float())
    export(tmp_path / "adapter", tmp_path / "full", "float32", None, base_weights="full")
    exported = load_file(tmp_path / "full" / "model.safetensors")
    assert all(t.dtype == torch.float32 for t in exported.values())
    for key, tensor in exported.items():
        torch.testing.assert_close(tensor, reference[key], rtol=0, atol=1e-6, msg=key)
    # The default merges into the NF4 base, dequantized in the device's fp16 (what the adapter computed
    # with there); the LoRA update is still added in float32, not rounded to fp16.
    export(tmp_path / "adapter", tmp_path / "trained", "float32", None)
    exported = load_file(tmp_path / "trained" / "model.safetensors")
    assert all(t.dtype == torch.float32 for t in exported.values())
    assert not torch.equal(exported[merged], exported[merged].half().float())


def test_doctor_on_a_machine_without_gpu_says_so_and_fails(capsys):
    from medassist.gpu import doctor

    assert doctor.main() == 1
    out = capsys.readouterr().out
    assert "torch sees no CUDA GPU" in out and "not ready" in out and "MEDASSIST_ALLOW_CPU=1" in out


def test_doctor_4bit_check_runs_where_bitsandbytes_does():
    from medassist.gpu import doctor

    assert "matches its dequantized weights" in doctor.check_4bit(torch.device("cpu"))


def test_trl_triton_loss_is_turned_off_without_a_c_compiler(monkeypatch, capsys):
    from trl.kernels import chunked_logprob

    from medassist.gpu import toolchain

    monkeypatch.setattr(chunked_logprob, "_TRITON_AVAILABLE", True)  # as on a CUDA machine with triton
    assert toolchain.configure_trl_loss("cpu") == "pytorch" and chunked_logprob._TRITON_AVAILABLE
    monkeypatch.setattr(toolchain, "triton_missing", lambda: "no C compiler (apt-get install gcc, or set CC)")
    assert toolchain.configure_trl_loss("cuda") == "pytorch"
    assert not chunked_logprob._use_triton(torch.device("cuda"))  # TRL's own switch, read at every call
    assert "no C compiler" in capsys.readouterr().err


def test_triton_can_be_turned_off_on_purpose(monkeypatch):
    from trl.kernels import chunked_logprob

    from medassist.gpu import toolchain

    monkeypatch.setattr(chunked_logprob, "_TRITON_AVAILABLE", True)
    monkeypatch.setattr(toolchain, "triton_missing", lambda: None)
    assert toolchain.configure_trl_loss("cuda") == "triton"
    monkeypatch.setenv(toolchain.TRITON_ENV, "0")
    assert toolchain.configure_trl_loss("cuda") == "pytorch" and not chunked_logprob._TRITON_AVAILABLE


def test_triton_missing_names_what_is_missing(monkeypatch):
    from medassist.gpu import toolchain

    monkeypatch.setattr(toolchain.importlib.util, "find_spec", lambda name: object())
    monkeypatch.setenv("CC", "/nonexistent/cc")
    assert "no C compiler" in toolchain.triton_missing()
    monkeypatch.delenv("CC")
    monkeypatch.setattr(toolchain, "python_headers", lambda: None)
    monkeypatch.setattr(toolchain, "c_compiler", lambda: "/usr/bin/cc")
    assert "Python headers" in toolchain.triton_missing()
