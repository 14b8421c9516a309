"""The CUDA path's guards that a CPU can check."""

import pytest
import torch
from conftest import TINY

from medassist.model import loading

pytestmark = pytest.mark.skipif(torch.cuda.is_available(), reason="checks the no-GPU path")


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
    export(tmp_path / "adapter", tmp_path / "export", "float32", None)
    exported = load_file(tmp_path / "export" / "model.safetensors")
    assert all(t.dtype == torch.float32 for t in exported.values())
    for key, tensor in exported.items():
        torch.testing.assert_close(tensor, reference[key], rtol=0, atol=1e-6, msg=key)
    merged = "model.layers.0.self_attn.q_proj.weight"  # a LoRA target: W + BA, which fp16 cannot hold
    assert not torch.equal(reference[merged], reference[merged].half().float())
