"""On a CUDA GPU: does every packed-row attention kernel this machine has give what per-example
SDPA gives (outputs and gradients, TinyLlama's head layout, fp16)? Prints which of SDPA's own
kernels can run the per-example calls (on a T4: `sdpa_expanded` should reach the memory-efficient
kernel where plain `sdpa` only gets the math one), one line per kernel and, last, the fastest
kernel that passed (run_on_device.sh pins the benchmark and the T4-path check to it).

    python -m benchmarks.gpu.check_attention          # --cpu: a dry run of the script on a CPU
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


def sdpa_kernels_accepting(kind: str, module, q, k, v, position_ids) -> list[str]:
    """Which of SDPA's kernels can run `kind` here (each tried alone): on a T4 per-example `sdpa`
    (grouped-query, no mask) should take only "math", `sdpa_expanded` also "efficient"."""
    from torch.nn.attention import SDPBackend, sdpa_kernel

    accepted = []
    for name, kernel in (
        ("flash", SDPBackend.FLASH_ATTENTION),
        ("efficient", SDPBackend.EFFICIENT_ATTENTION),
        ("math", SDPBackend.MATH),
    ):
        try:
            with sdpa_kernel([kernel]), torch.no_grad():
                packed_attention(kind, module, q, k, v, position_ids)
            accepted.append(name)
        except RuntimeError:
            pass
    return accepted


def main(argv: list[str]) -> int:
    dry_run = "--cpu" in argv  # the script's own code path on a CPU, fp32, T4's kernel list (not a check)
    if not torch.cuda.is_available() and not dry_run:
        print("check_attention: no CUDA GPU (--cpu: a dry run of this script on the CPU)")
        return 1
    device = torch.device("cpu") if dry_run else torch.device("cuda", torch.cuda.current_device())
    dtype = torch.float32 if dry_run else torch.float16
    sync = (lambda: None) if dry_run else torch.cuda.synchronize
    if dry_run:
        attention.available = lambda device: ["sdpa_expanded", "sdpa"]
    torch.manual_seed(0)
    module = torch.nn.Module()  # TinyLlama: 32 query heads, 4 KV heads, head_dim 64
    module.num_key_value_groups, module.scaling, module.is_causal, module.training = 8, 64**-0.5, True, True
    lengths = [97, 140, 61, 188]
    position_ids = torch.tensor([[p for n in lengths for p in range(n)]], device=device)
    n = sum(lengths)

    def make(heads):
        return torch.randn(1, heads, n, 64, device=device, dtype=dtype, requires_grad=True)

    q, k, v = make(32), make(4), make(4)
    grad = torch.randn(1, n, 32, 64, device=device, dtype=dtype)

    def run(kind):
        for t in (q, k, v):
            t.grad = None
        out = packed_attention(kind, module, q, k, v, position_ids)
        out.backward(grad)
        sync()
        start = time.perf_counter()
        for _ in range(20):
            packed_attention(kind, module, q, k, v, position_ids).backward(grad)
        sync()
        return (
            out.detach().float(),
            [t.grad.float().clone() / 21 for t in (q, k, v)],
            (time.perf_counter() - start) / 20,
        )

    options = attention.available(device)
    where = "CPU dry run" if dry_run else torch.cuda.get_device_name(device)
    capability = None if dry_run else torch.cuda.get_device_capability(device)
    print(
        f"check_attention: {where}, capability {capability}, torch {torch.__version__}; kernels here: {options}"
    )
    for kind in [o for o in ("sdpa", "sdpa_expanded") if o in options]:
        print(
            f"  SDPA kernels that can run {kind}: {sdpa_kernels_accepting(kind, module, q, k, v, position_ids)}"
        )
    reference, ref_grads, ref_s = run("sdpa")
    print(f"  sdpa (per example): {ref_s * 1e3:.2f} ms forward+backward")
    seconds_of = {"sdpa": ref_s}
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
            seconds_of[kind] = seconds
    print(min(seconds_of, key=seconds_of.get))  # the fastest that computes what per-example SDPA does
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
