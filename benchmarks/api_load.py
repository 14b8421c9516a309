"""Load on the demo's OpenAI-compatible API: concurrent requests, all answered, memory flat.

    python -m benchmarks.api_load [--requests 20] [--waves 2] [--max-tokens 64] [--adapter DIR]
        [--engine transformers|llamacpp|auto] [--gguf-file FILE] [--out FILE]

Starts the real server (`python -m medassist.serve`) on the offline model: by default a LoRA
adapter made here on the tiny fixture (tests/fixtures/tiny-llama) with params.yaml's LoRA
settings and random, non-zero weights (throughput does not depend on what the adapter learned;
an untrained adapter rarely emits EOS, so answers run to --max-tokens and every wave does the
same work), served the way `make demo` serves (params.yaml model.quantization). --adapter
serves a trained adapter instead. --engine (default: $ENGINE, else auto) is the server's ENGINE
(docs/serving.md): llamacpp serves the adapter's `make gguf` export (models/gguf, or --gguf-file), so
it needs --adapter with that export; run it once per engine to compare them.

Each wave fires --requests requests at once with the official `openai` client (half of them
streaming), checks that every one was answered, and samples the server's RSS after it. Prints
requests/s, completion tokens/s and latencies per wave; the server's RSS after a warm-up request
and after each wave shows whether memory stays flat (the server queues requests: one generation
at a time).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.common import ROOT, machine, params

TINY = "tests/fixtures/tiny-llama"  # relative to ROOT, as the train stage records model.base


def throwaway_adapter(dest: Path) -> Path:
    """A LoRA adapter on the tiny model, in the train stage's layout (adapter + medassist.json)."""
    import torch
    from peft import LoraConfig, get_peft_model

    from medassist.core.paths import ADAPTER_META
    from medassist.model.loading import load_base

    prm = params()
    torch.manual_seed(0)
    # random A and B: the adapter changes the answers
    model = get_peft_model(
        load_base(str(ROOT / TINY), "none"),
        LoraConfig(
            r=prm.lora.r,
            lora_alpha=prm.lora.alpha,
            target_modules=list(prm.lora.target_modules),
            task_type="CAUSAL_LM",
            init_lora_weights=False,
        ),
    )
    model.save_pretrained(dest)
    config_path = dest / "adapter_config.json"
    config = json.loads(config_path.read_text())
    config["base_model_name_or_path"] = TINY
    config_path.write_text(json.dumps(config, indent=2))
    (dest / ADAPTER_META).write_text(
        json.dumps(
            {
                "base_model": TINY,
                "quantization": prm.model.quantization,
                "max_length": prm.model.max_length,
                "lora": {
                    "r": prm.lora.r,
                    "alpha": prm.lora.alpha,
                    "target_modules": list(prm.lora.target_modules),
                },
            },
            indent=2,
        )
    )
    return dest


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(
    adapter: Path, port: int, log_path: Path, engine: str = "auto", gguf_file: Path | None = None
) -> subprocess.Popen:
    import httpx

    env = dict(
        os.environ,
        PORT=str(port),
        DEMO_ADAPTER=str(adapter),
        ENGINE=engine,
        GGUF_FILE=str(gguf_file or ""),
        HF_HUB_OFFLINE="1",
        GRADIO_ANALYTICS_ENABLED="False",
        TOKENIZERS_PARALLELISM="false",
    )
    for name in ("SHARE", "DEMO_HOST", "DEMO_AUTH"):
        env.pop(name, None)
    log = log_path.open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "medassist.serve"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 300
    while True:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode}:\n{log_path.read_text()[-3000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/v1/models", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            proc.kill()
            raise SystemExit(f"the server did not start in 300 s:\n{log_path.read_text()[-3000:]}")
        time.sleep(0.5)


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def rss_mb(pid: int) -> float:
    import psutil

    return psutil.Process(pid).memory_info().rss / 2**20


def one_request(client, i: int, max_tokens: int) -> dict:
    question = f"What are the risk factors for stroke? (request {i})"
    messages = [{"role": "user", "content": question}]
    start = time.perf_counter()
    if i % 2:
        text, tokens = "", 0
        for chunk in client.chat.completions.create(
            model="medassist",
            messages=messages,
            temperature=0,
            max_tokens=max_tokens,
            stream=True,
            stream_options={"include_usage": True},
        ):
            if chunk.choices:
                text += chunk.choices[0].delta.content or ""
            if chunk.usage:
                tokens = chunk.usage.completion_tokens
    else:
        reply = client.chat.completions.create(
            model="medassist", messages=messages, temperature=0, max_tokens=max_tokens
        )
        text, tokens = reply.choices[0].message.content, reply.usage.completion_tokens
    return {"ok": bool(text.strip()), "tokens": tokens, "latency_s": time.perf_counter() - start}


def wave(client, n: int, max_tokens: int) -> dict:
    results: dict[int, dict] = {}
    errors: list[str] = []

    def run(i: int) -> None:
        try:
            results[i] = one_request(client, i, max_tokens)
        except Exception as exc:  # counted as lost
            errors.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    answered = sum(r["ok"] for r in results.values())
    tokens = sum(r["tokens"] for r in results.values())
    latencies = sorted(r["latency_s"] for r in results.values()) or [0.0]
    return {
        "requests": n,
        "answered": answered,
        "lost": n - answered,
        "errors": errors[:3],
        "elapsed_s": round(elapsed, 2),
        "requests_per_s": round(answered / elapsed, 3),
        "completion_tokens": tokens,
        "tokens_per_s": round(tokens / elapsed, 1),
        "latency_p50_s": round(statistics.median(latencies), 2),
        "latency_max_s": round(latencies[-1], 2),
    }


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--requests", type=int, default=20, help="concurrent requests per wave (default 20)")
    ap.add_argument("--waves", type=int, default=2, help="waves of concurrent requests (default 2)")
    ap.add_argument("--max-tokens", type=int, default=64, help="max_tokens of each request (default 64)")
    ap.add_argument(
        "--adapter",
        type=Path,
        default=None,
        help="serve this adapter (default: a throwaway one on the tiny model)",
    )
    ap.add_argument(
        "--engine",
        choices=("transformers", "llamacpp", "auto"),
        default=os.environ.get("ENGINE") or "auto",
        help="the server's ENGINE (default: $ENGINE, else auto)",
    )
    ap.add_argument("--gguf-file", type=Path, default=None, help="the server's GGUF_FILE (llamacpp)")
    ap.add_argument("--out", type=Path, default=None, help="also write the results as JSON here")
    args = ap.parse_args(argv)
    if args.engine == "llamacpp" and not args.adapter:
        ap.error("--engine llamacpp serves a `make gguf` export of a trained adapter: give --adapter")
    if args.requests < 1 or args.waves < 1 or not 1 <= args.max_tokens <= 1024:
        ap.error("--requests and --waves must be at least 1, --max-tokens between 1 and 1024")

    from openai import OpenAI

    with tempfile.TemporaryDirectory(prefix="api-load-") as tmp:
        tmp = Path(tmp)
        adapter = args.adapter.resolve() if args.adapter else throwaway_adapter(tmp / "adapter")
        port = free_port()
        gguf_file = args.gguf_file.resolve() if args.gguf_file else None
        proc = start_server(adapter, port, tmp / "server.log", args.engine, gguf_file)
        try:
            client = OpenAI(
                base_url=f"http://127.0.0.1:{port}/v1", api_key="unused", max_retries=0, timeout=1800
            )
            served = client.models.list().data[0]
            engine = getattr(served, "engine", "transformers")
            engine += f" ({served.gguf})" if getattr(served, "gguf", None) else ""
            # warm-up: one-time costs (first forward pass, 4-bit repacking)
            one_request(client, 0, args.max_tokens)
            rss = [rss_mb(proc.pid)]
            waves = []
            for _ in range(args.waves):
                waves.append(wave(client, args.requests, args.max_tokens))
                rss.append(rss_mb(proc.pid))
        finally:
            stop_server(proc)

    info = machine()
    print(
        f"api_load: {args.requests} concurrent requests x {args.waves} waves, max_tokens={args.max_tokens}, "
        f"adapter {'(throwaway, tiny model)' if not args.adapter else args.adapter}, engine {engine}; "
        f"{info['cpu']} ({info['cpu_cores']} cores), {'GPU ' + str(info['gpu']) if info['cuda'] else 'no GPU'}"
    )
    for i, w in enumerate(waves, 1):
        print(
            f"  wave {i}: {w['answered']}/{w['requests']} answered ({w['lost']} lost) in {w['elapsed_s']} s: "
            f"{w['requests_per_s']} requests/s, {w['tokens_per_s']} tokens/s; latency p50 {w['latency_p50_s']} s, "
            f"max {w['latency_max_s']} s" + (f"; errors: {w['errors']}" if w["errors"] else "")
        )
    print(
        "  server RSS (MB): after warm-up "
        + ", ".join([f"{rss[0]:.0f}"] + [f"after wave {i} {r:.0f}" for i, r in enumerate(rss[1:], 1)])
        + f"; growth over the waves {rss[-1] - rss[0]:+.0f} MB"
    )
    result = {
        "requests": args.requests,
        "waves": waves,
        "max_tokens": args.max_tokens,
        "engine": engine,
        "rss_mb": [round(r, 1) for r in rss],
        "machine": info,
    }
    if args.out:
        args.out.write_text(json.dumps(result, indent=2) + "\n")
    if any(w["lost"] for w in waves):
        sys.exit(1)


if __name__ == "__main__":
    main()
