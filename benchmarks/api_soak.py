"""Soak the demo server with well-behaved and badly-behaved clients: nothing lost, memory flat.

    python -m benchmarks.api_soak [--waves 10] [--requests 60] [--max-tokens 32] [--out FILE]

Starts the real server (`python -m medassist.serve`, loopback only) on the throwaway tiny-model
adapter of benchmarks/api_load.py, then fires --waves waves of --requests concurrent clients,
each client one of these kinds, in turn:

    complete    API, whole answer                    -> 200 with text
    stream      API, streamed, read to [DONE]        -> 200, [DONE]
    slow        API, streamed, read 20 ms per event  -> 200, [DONE]
    drop        API, streamed (max_tokens 1024), hangs up after the first text: the server must stop it
    impatient   API, whole answer, hangs up after 0.3 s (the same, noticed by polling)
    hostile     API, malformed text (NUL, lone surrogate, ESC) or JSON 1,000 deep -> 400
    page        the Gradio page's /chat (gradio_client)          -> the reply text
    page-stop   the page's /chat, Stop pressed after the first text (gradio_client's cancel)

A request is *answered* when it got what its kind expects (the clients that hang up count as
answered when the server had started answering them). After each wave: the server's RSS, and how
fast the model is free after a hang-up (a long stream is dropped mid-answer; the time to the next
request's first text is measured). Prints requests answered vs sent, errors by kind, p50/p95
latency per kind, RSS at the start, after each wave and at the end; exits 1 if anything was lost,
a 5xx was seen, the hang-up wait was over a second, or RSS grew more than --rss-bound MB after the
first wave. All traffic goes to 127.0.0.1; every loop is bounded by count and by time.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

from benchmarks.api_load import free_port, rss_mb, start_server, stop_server, throwaway_adapter
from benchmarks.common import machine

KINDS = ["complete", "stream", "slow", "drop", "impatient", "hostile", "page", "page-stop"]
HOSTILE = [
    '{"model": "medassist", "messages": [{"role": "user", "content": "What is\\u0000 anemia?"}]}',
    '{"model": "medassist", "messages": [{"role": "user", "content": "Anemia \\ud800?"}]}',
    '{"model": "medassist", "messages": [{"role": "user", "content": "\\u001b[2J hi"}]}',
    '{"model": "medassist", "messages": ' + "[" * 1000 + "]" * 1000 + "}",
]
PER_REQUEST_S = 300  # no client waits longer than this for anything


class Soak:
    def __init__(self, base: str, max_tokens: int):
        self.base, self.api, self.max_tokens = base, base + "v1/chat/completions", max_tokens

    def body(self, i: int, **extra) -> dict:
        question = f"What are the risk factors for stroke? (request {i})"
        return {
            "model": "medassist",
            "messages": [{"role": "user", "content": question}],
            "max_tokens": self.max_tokens,
            "temperature": 0,
            **extra,
        }

    def stream(self, i: int, *, delay_s: float = 0.0, hang_up: bool = False, **extra) -> None:
        import httpx

        done, body = False, self.body(i, stream=True, **extra)
        with httpx.stream("POST", self.api, json=body, timeout=PER_REQUEST_S) as r:
            if r.status_code != 200:
                raise Unexpected(f"HTTP {r.status_code}")
            for n, line in enumerate(r.iter_lines()):
                if n > 10 * body["max_tokens"] + 20:
                    raise Unexpected("stream longer than max_tokens allows")
                if hang_up and '"content": "' in line and '"content": ""' not in line:
                    return  # leaving the with-block closes the connection mid-stream
                if line == "data: [DONE]":
                    done = True
                elif delay_s and line:
                    time.sleep(delay_s)
        if not done and not hang_up:
            raise Unexpected("stream ended without [DONE]")

    def one(self, i: int, kind: str) -> None:
        import httpx

        if kind == "complete":
            r = httpx.post(self.api, json=self.body(i), timeout=PER_REQUEST_S)
            if r.status_code != 200 or not r.json()["choices"][0]["message"]["content"].strip():
                raise Unexpected(f"HTTP {r.status_code}")
        elif kind == "stream":
            self.stream(i)
        elif kind == "slow":
            self.stream(i, delay_s=0.02)
        elif kind == "drop":  # a long answer: had it not been stopped, the wave would take far longer
            self.stream(i, hang_up=True, max_tokens=1024, temperature=1.5)
        elif kind == "impatient":
            try:
                httpx.post(self.api, json=self.body(i, max_tokens=1024, temperature=1.5), timeout=0.3)
            except httpx.TimeoutException:
                return
        elif kind == "hostile":
            body = HOSTILE[i % len(HOSTILE)]
            r = httpx.post(self.api, content=body, headers={"Content-Type": "application/json"}, timeout=60)
            if r.status_code != 400 or "error" not in r.json():
                raise Unexpected(f"HTTP {r.status_code}")
        else:
            from gradio_client import Client

            client = Client(self.base, verbose=False, download_files=False)
            try:
                question = f"What are the risk factors for stroke? (page {i})"
                if kind == "page":
                    if not client.predict(question, 0.0, max(self.max_tokens, 16), api_name="/chat").strip():
                        raise Unexpected("empty page reply")
                    return
                job = client.submit(question, 1.5, 1024, api_name="/chat")
                deadline = time.monotonic() + PER_REQUEST_S
                while not job.outputs() and not job.done() and time.monotonic() < deadline:
                    time.sleep(0.02)
                job.cancel()  # the Stop button
            finally:
                client.close()

    def hang_up_wait_s(self) -> float:
        """Drop a long stream mid-answer; seconds until the next request's first text."""
        import httpx

        self.stream(0, hang_up=True, max_tokens=1024, temperature=1.5)
        body = self.body(0, stream=True, max_tokens=1)
        start = time.perf_counter()
        with httpx.stream("POST", self.api, json=body, timeout=PER_REQUEST_S) as r:
            for line in r.iter_lines():
                if '"content": "' in line and '"content": ""' not in line:
                    return time.perf_counter() - start
        return float("inf")


class Unexpected(Exception):
    pass


def wave(soak: Soak, n: int, first: int, kinds: list[str]) -> dict:
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: Counter = Counter()
    answered: Counter = Counter()
    sent: Counter = Counter()
    lock = threading.Lock()

    def run(i: int) -> None:
        kind = kinds[i % len(kinds)]
        start = time.perf_counter()
        try:
            soak.one(i, kind)
            with lock:
                answered[kind] += 1
                latencies[kind].append(time.perf_counter() - start)
        except Exception as exc:
            with lock:
                errors[f"{kind}: {type(exc).__name__}: {str(exc)[:80]}"] += 1

    threads = []
    for i in range(first, first + n):
        sent[kinds[i % len(kinds)]] += 1
        threads.append(threading.Thread(target=run, args=(i,), daemon=True))
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=PER_REQUEST_S * 2)
    return {
        "sent": dict(sent),
        "answered": dict(answered),
        "errors": dict(errors),
        "elapsed_s": round(time.perf_counter() - start, 2),
        "latencies": latencies,
    }


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--waves", type=int, default=10, help="waves of concurrent clients (default 10)")
    ap.add_argument("--requests", type=int, default=60, help="concurrent clients per wave (default 60)")
    ap.add_argument(
        "--max-tokens", type=int, default=32, help="max_tokens of the answering kinds (default 32)"
    )
    ap.add_argument(
        "--rss-bound", type=float, default=50.0, help="allowed RSS growth after wave 1, MB (default 50)"
    )
    ap.add_argument("--out", type=Path, default=None, help="also write the results as JSON here")
    ap.add_argument("--kinds", default=",".join(KINDS), help="client kinds, comma-separated (default: all)")
    args = ap.parse_args(argv)
    kinds = args.kinds.split(",")
    if not kinds or set(kinds) - set(KINDS):
        ap.error(f"--kinds: choose from {','.join(KINDS)}")
    if not (1 <= args.waves <= 100 and 1 <= args.requests <= 200 and 1 <= args.max_tokens <= 1024):
        ap.error("--waves 1-100, --requests 1-200, --max-tokens 1-1024")

    with tempfile.TemporaryDirectory(prefix="api-soak-") as tmp:
        tmp = Path(tmp)
        log = tmp / "server.log"
        adapter = throwaway_adapter(tmp / "adapter")
        port = free_port()
        proc = start_server(adapter, port, log)
        soak = Soak(f"http://127.0.0.1:{port}/", args.max_tokens)
        try:
            soak.one(0, "complete")  # warm-up: one-time costs
            rss = [rss_mb(proc.pid)]
            waves, waits = [], []
            for w in range(args.waves):
                waves.append(wave(soak, args.requests, w * args.requests, kinds))
                rss.append(rss_mb(proc.pid))
                waits.append(soak.hang_up_wait_s())
                print(
                    f"  wave {w + 1}: {sum(waves[-1]['answered'].values())}/{args.requests} answered in "
                    f"{waves[-1]['elapsed_s']} s; RSS {rss[-1]:.0f} MB; next request {waits[-1]:.3f} s after a hang-up",
                    flush=True,
                )
        finally:
            stop_server(proc)
        server_log = log.read_text()
    server_errors = server_log.count("Traceback")

    sent, answered, errors = Counter(), Counter(), Counter()
    latencies: dict[str, list[float]] = defaultdict(list)
    for w in waves:
        sent.update(w["sent"])
        answered.update(w["answered"])
        errors.update(w["errors"])
        for kind, values in w["latencies"].items():
            latencies[kind] += values
    growth = rss[-1] - rss[1] if len(rss) > 1 else 0.0
    info = machine()
    print(
        f"api_soak: {args.waves} waves x {args.requests} concurrent clients, max_tokens={args.max_tokens}, "
        f"throwaway adapter on the tiny model; {info['cpu']} ({info['cpu_cores']} cores), "
        f"{'GPU ' + str(info['gpu']) if info['cuda'] else 'no GPU'}"
    )
    print(
        f"  answered {sum(answered.values())} of {sum(sent.values())} sent; server tracebacks: {server_errors}"
    )
    print("  kind        sent answered   p50 s   p95 s")
    for kind in kinds:
        p50, p95 = percentile(latencies[kind], 50), percentile(latencies[kind], 95)
        print(f"  {kind:<10} {sent[kind]:>5} {answered[kind]:>8} {p50:>7.2f} {p95:>7.2f}")
    print(f"  errors by kind: {dict(errors) or 'none'}")
    print(
        f"  server RSS (MB): start {rss[0]:.0f}, "
        + ", ".join(f"wave {i} {r:.0f}" for i, r in enumerate(rss[1:], 1))
        + f"; end {rss[-1]:.0f}; growth after wave 1 {growth:+.0f} MB (bound {args.rss_bound:.0f})"
    )
    print(f"  next request after a hang-up: max {max(waits):.3f} s, median {statistics.median(waits):.3f} s")
    result = {
        "waves": args.waves,
        "requests": args.requests,
        "max_tokens": args.max_tokens,
        "sent": dict(sent),
        "answered": dict(answered),
        "errors": dict(errors),
        "latency_s": {
            k: {"p50": round(percentile(v, 50), 3), "p95": round(percentile(v, 95), 3)}
            for k, v in latencies.items()
        },
        "rss_mb": [round(r, 1) for r in rss],
        "hang_up_wait_s": [round(w, 3) for w in waits],
        "server_tracebacks": server_errors,
        "machine": info,
    }
    if args.out:
        args.out.write_text(json.dumps(result, indent=2) + "\n")
    lost = sum(sent.values()) - sum(answered.values())
    if lost or server_errors or max(waits) > 1.0 or growth > args.rss_bound:
        sys.exit(1)


if __name__ == "__main__":
    main()
