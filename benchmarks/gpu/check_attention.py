"""On a CUDA GPU: does every packed-row attention kernel this machine has give what per-example
SDPA gives (outputs and gradients, TinyLlama's head layout, fp16)? Prints one line per kernel and,
last, the fastest kernel that passed (run_on_device.sh pins the benchmark to it).

    python -m benchmarks.gpu.check_attention
"""

from __future__ import annotations

import sys
import time

import torch

from medassist.model import attention


def packed_attention(kind: str, module, q, k, v, position_ids):
    attention.preferred = kind
    out, _ = attention.sdpa_packed_attention_forward(module, q, k, v, None, position_ids=position_ids)
    return out


def main() -> int:
    if not torch.cuda.is_available():
        print("check_attention: no CUDA GPU")
        return 1
    device = torch.device("cuda", torch.cuda.current_device())
    torch.manual_seed(0)
    module = torch.nn.Module()  # TinyLlama: 32 query heads, 4 KV heads, head_dim 64
    module.num_key_value_groups, module.scaling, module.is_causal, module.training = 8, 64**-0.5, True, True
    lengths = [97, 140, 61, 188]
    position_ids = torch.tensor([[p for n in lengths for p in range(n)]], device=device)
    n = sum(lengths)

    def make(heads):
        return torch.randn(1, heads, n, 64, device=device, dtype=torch.float16, requires_grad=True)

    q, k, v = make(32), make(4), make(4)
    grad = torch.randn(1, n, 32, 64, device=device, dtype=torch.float16)

    def run(kind):
        for t in (q, k, v):
            t.grad = None
        out = packed_attention(kind, module, q, k, v, position_ids)
        out.backward(grad)
        torch.cuda.synchronize()
        start = time.perf_counter()
        for _ in range(20):
            packed_attention(kind, module, q, k, v, position_ids).backward(grad)
        torch.cuda.synchronize()
        return (
            out.detach().float(),
            [t.grad.float().clone() / 21 for t in (q, k, v)],
            (time.perf_counter() - start) / 20,
        )

    options = attention.available(device)
    print(
        f"check_attention: {torch.cuda.get_device_name(device)}, "
        f"capability {torch.cuda.get_device_capability(device)}, "
        f"torch {torch.__version__}; kernels here: {options}"
    )
    reference, ref_grads, ref_s = run("sdpa")
    print(f"  sdpa (per example): {ref_s * 1e3:.2f} ms forward+backward")
    passed = ["sdpa"]
    for kind in options[:-1]:
        try:
            out, grads, seconds = run(kind)
            error = max(
                (out - reference).abs().max().item(),
                *[(g - r).abs().max().item() for g, r in zip(grads, ref_grads)],
            )
            ok = error < 2e-2
            print(
                f"  {kind}: max |difference| {error:.2e} ({'ok' if ok else 'MISMATCH'}), "
                f"{seconds * 1e3:.2f} ms forward+backward ({ref_s / seconds:.2f}x sdpa per example)"
            )
        except Exception as exc:  # a kernel that fails here must not be benchmarked
            ok = False
            print(
                f"  {kind}: FAILED: {type(exc).__name__}: {str(exc).splitlines()[0][:300] if str(exc) else ''}"
            )
        if ok:
            passed.insert(len(passed) - 1, kind)
    print(passed[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
