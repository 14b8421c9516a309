"""`make demo`: a safe, streaming Gradio chat over the trained adapter (models/adapter).

    python -m medassist.serve          # http://127.0.0.1:7860
    PORT=8000 python -m medassist.serve
    SHARE=1 DEMO_AUTH=user:secret python -m medassist.serve

What it serves: the LoRA adapter in models/adapter on the base model named in the adapter's
config (pulled from the DVC remote, as `make pull` does, when it is missing). It never falls back to the
base model: no adapter, no demo. The engine (ENGINE, medassist.serve.settings.choose_engine) is
transformers on base + adapter, or llama.cpp on the `make gguf` export of that same adapter
(models/gguf, GGUF_FILE): by default llama.cpp where there is no CUDA GPU and the export passed its
gate.

Every message goes through the chat service (medassist.serve.service): the safety screen first
(empty or overlong messages and descriptions of a medical emergency get a fixed reply), then the
shared chat format with the oldest turns dropped to fit the context window, one generation at a
time; other users wait in Gradio's queue. No message text is logged. The same server answers the
OpenAI chat-completions API at /v1 (medassist.serve.api, docs/serving.md) through the same service;
DEMO_AUTH's user:password is then its API key.

Environment variables (all optional): see medassist.serve.settings.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no telemetry calls from the demo
# torch and llama.cpp each run an OpenMP thread team; the spin-waits of one starve the other on a
# small CPU (measured on 2 cores: llama.cpp at 4 tokens/s instead of 1,600). Set before torch loads.
if os.environ.get("ENGINE", "").strip().lower() != "transformers":
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from medassist.core import MedassistError, paths  # noqa: E402
from medassist.core.io import file_digest  # noqa: E402
from medassist.evaluation.summary import scores_table, training_line  # noqa: E402
from medassist.model.adapter import is_complete, read_adapter  # noqa: E402
from medassist.model.decoding import Decoding  # noqa: E402
from medassist.serve.prompting import context_window  # noqa: E402
from medassist.serve.safety import DISCLAIMER  # noqa: E402
from medassist.serve.service import ChatService  # noqa: E402
from medassist.serve.settings import (  # noqa: E402
    DEFAULT_MAX_NEW_TOKENS,
    MAX_NEW_TOKENS_LIMIT,
    MAX_TEMPERATURE,
    Engine,
    Settings,
    choose_engine,
    settings_from_env,
)

EXAMPLES = [
    "What are the risk factors for stroke?",
    "What is the mechanism of action of metformin?",
    "What are the symptoms of iron deficiency anemia?",
    "How is hypertension diagnosed?",
]


# --------------------------------------------------------------------------------------------
# The adapter: found locally, or pulled from the DVC remote, or a clear error


def resolve_adapter(adapter_dir: Path = paths.ADAPTER) -> dict:
    """The adapter's record (medassist.model.adapter.read_adapter). When models/adapter is not
    here, it is pulled from the DVC remote first (medassist.share.remote, as `make pull` does:
    the complete adapter dvc.lock records, or nothing)."""
    if not is_complete(adapter_dir):
        if adapter_dir != paths.ADAPTER:
            raise MedassistError(
                f"no trained adapter in {adapter_dir} (adapter_config.json / {paths.ADAPTER_META} missing)"
            )
        print(
            f"demo: no trained adapter in {adapter_dir}; pulling it from the DVC remote (make pull) ...",
            file=sys.stderr,
        )
        from medassist.share import remote

        try:
            remote.pull()
            reason = "the pull brought no adapter"
        except MedassistError as exc:
            reason = str(exc)
        if not is_complete(adapter_dir):
            raise MedassistError(
                f"no trained adapter in {adapter_dir}, and the DVC pull of it failed: {reason}. "
                "To get one: train it with `dvc repro` (GPU, full data), or offline with `make smoke` and then "
                "`dvc exp apply smoke` (the smoke run keeps its adapter in that experiment until applied), or "
                "configure the project's DVC remote and fetch the trained adapter with `make pull`. "
                "The demo does not serve the base model in place of the fine-tune."
            )
    return read_adapter(adapter_dir)


def adapter_decoding(meta: dict) -> Decoding:
    """The decoding the adapter was evaluated with (its record); an adapter trained before the
    record existed gets plain decoding, said once."""
    if "decoding" not in meta:
        print(
            "demo: the adapter records no decoding settings (trained before they existed): plain decoding",
            file=sys.stderr,
        )
    return Decoding.from_mapping(meta.get("decoding"))


def load_model(adapter_dir: Path, meta: dict):
    """Base + adapter (load_finetuned refuses one that does not attach: never the bare base)."""
    from medassist.model.loading import load_finetuned, load_tokenizer, warn_if_cpu

    warn_if_cpu("the demo")
    model, meta = load_finetuned(adapter_dir, base=meta["base_model"])
    return model, load_tokenizer(meta["base_model"])


def engine_lines(engine: Engine) -> list[str]:
    """The panel's lines on the engine: for a GGUF, which file and its figures in the export's gate."""
    if engine.name != "llamacpp":
        return ["- **Engine:** transformers (the base model with the adapter attached)"]
    from medassist.share.gguf_tools import installed_version

    size = engine.gguf.stat().st_size / 2**20
    lines = [
        f"- **Engine:** llama.cpp (llama-cpp-python {installed_version()}) serving `{engine.gguf}` "
        f"({engine.kind.upper()}, {size:,.0f} MB): the adapter merged into its base, exported by `make gguf`"
    ]
    gate = engine.gate or {}
    figures = (gate.get("models") or {}).get(engine.kind)
    if figures is None:
        return lines + ["- **GGUF gate:** no figures for this file (no gate.json): run `make gguf`"]
    gap = f" ({figures['nll_gap_vs_f16']:+.3f} vs f16)" if "nll_gap_vs_f16" in figures else ""
    lines.append(
        f"- **GGUF gate ({'passed' if gate.get('passed') else 'FAILED'}, {gate.get('rows')} eval rows):** "
        f"answer NLL {figures['answer_nll']:.3f}{gap}; token agreement with the adapter "
        f"{figures['token_agreement']:.0%}; EOS rate {figures['eos_rate']:.0%}"
    )
    return lines


def model_panel(
    adapter_dir: Path,
    meta: dict,
    window: int,
    device: str,
    emergency_number: str = "911",
    metrics_dir: Path | None = paths.METRICS,
    engine: Engine | None = None,
) -> str:
    """Markdown: which base, adapter and engine are served, and their metrics when the pipeline made them."""
    engine = engine or Engine("transformers", "")
    lora = meta.get("lora") or {}
    quant = {"nf4": "4-bit NF4 (QLoRA)", "none": "unquantized"}.get(
        meta.get("quantization"), meta.get("quantization")
    )
    weights = adapter_dir / "adapter_model.safetensors"
    digest = file_digest(weights)[:12] if weights.is_file() else None
    lines = [
        "### Model being served",
        f"- **Base model:** `{meta['base_model']}`"
        + (f" ({quant})" if engine.name == "transformers" else ""),
        f"- **Fine-tuned adapter:** `{adapter_dir}`" + (f" (weights sha256 `{digest}`)" if digest else ""),
        *engine_lines(engine),
    ]
    if lora:
        lines.append(
            f"- **LoRA:** r={lora.get('r')}, alpha={lora.get('alpha')}, "
            f"targets {', '.join(lora.get('target_modules') or [])}"
        )
    lines.append(f"- **Runs on:** {device}; context {window:,} tokens (oldest turns are dropped to fit)")
    lines.append(f"- **Decoding:** as evaluated: {adapter_decoding(meta).describe()}")
    lines.append(
        f"- **Safety:** messages describing an emergency get a fixed reply (call {emergency_number}) "
        "instead of a model answer; no message text is logged"
    )

    if metrics_dir is None:
        lines += [
            "",
            f"*Metrics not shown: those in {paths.METRICS}/ describe {paths.ADAPTER}, not this adapter.*",
        ]
        return "\n".join(lines)
    table = scores_table(metrics_dir)
    lines += (
        ["", "**Evaluation**", "", *table]
        if table
        else [
            "",
            f"*No evaluation metrics yet ({metrics_dir}/eval_finetuned.json): run `dvc repro` to make them.*",
        ]
    )
    training = training_line(metrics_dir)
    if training:
        lines += ["", training]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# The app


CSS = """
#disclaimer { background: #fff7e6; border: 1px solid #f5c26b; border-radius: 8px; padding: 8px 14px; }
#disclaimer p { margin: 0; color: #5c3b00; }
#chat .message-wrap { padding-top: 2.5rem; }  /* the first message clears the chat's top toolbar */
#model-panel { font-size: 0.9em; }
#model-panel table { font-size: 0.95em; }
"""


def build_app(service: ChatService, panel_markdown: str, *, stats: bool = False):
    import gradio as gr

    with gr.Blocks(title="medassist", analytics_enabled=False) as app:
        gr.Markdown(
            "# medassist\nA small model fine-tuned on medical flashcards. Ask an educational "
            "medical question; answers stream in as they are generated."
        )
        gr.Markdown(f"⚠️ **{DISCLAIMER}**", elem_id="disclaimer")
        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                temperature = gr.Slider(
                    0.0,
                    MAX_TEMPERATURE,
                    value=0.0,
                    step=0.05,
                    label="Temperature",
                    info="0 = greedy (deterministic, as evaluated)",
                    render=False,
                )
                max_new = gr.Slider(
                    16,
                    MAX_NEW_TOKENS_LIMIT,
                    value=DEFAULT_MAX_NEW_TOKENS,
                    step=16,
                    label="Max new tokens",
                    render=False,
                )
                gr.ChatInterface(
                    service.respond,
                    chatbot=gr.Chatbot(
                        height=520,
                        label="medassist",
                        elem_id="chat",
                        buttons=["copy", "copy_all"],
                        placeholder=(
                            "**Ask a medical question.** Educational information only, not a diagnosis or "
                            "treatment. In an emergency, call your local emergency number."
                        ),
                    ),
                    textbox=gr.Textbox(
                        placeholder="Ask a medical question…",
                        elem_id="message",
                        show_label=False,
                        scale=7,
                        submit_btn=True,
                        stop_btn=True,
                        autofocus=True,
                    ),
                    additional_inputs=[temperature, max_new],
                    additional_inputs_accordion="Generation settings",
                    examples=[[q] for q in EXAMPLES],
                    flagging_mode="never",
                    api_name="chat",
                    api_description="Answer a medical question (streams the reply); returns the reply text.",
                    fill_height=False,
                )
            with gr.Column(scale=1, min_width=260):
                gr.Markdown(panel_markdown, elem_id="model-panel")
        if stats:
            stats_button = gr.Button("stats", visible=False)
            stats_json = gr.JSON(visible=False)
            stats_button.click(
                service.stats,
                None,
                stats_json,
                api_name="stats",
                concurrency_limit=None,
                api_description="Request counters (no message text).",
            )
    return app


def load_gguf(engine: Engine):
    """llama.cpp on the GGUF file, the tokenizer the export saved beside it (the one its gate
    checked against the file's chat template), the file's context (n_ctx) and llama.cpp's streamer."""
    from medassist.model.llamacpp import load, threads
    from medassist.model.llamacpp_stream import stream_llamacpp
    from medassist.model.loading import load_tokenizer

    llm = load(str(engine.gguf))
    return (
        llm,
        load_tokenizer(str(engine.gguf.parent)),
        llm.n_ctx(),
        stream_llamacpp,
        f"CPU ({threads()} threads)",
    )


def serve(settings: Settings):
    """Load the fine-tune and start the app in the background; returns the launched gr.Blocks."""
    meta = resolve_adapter(settings.adapter)
    weights = settings.adapter / "adapter_model.safetensors"
    engine = choose_engine(settings, file_digest(weights)[:12] if weights.is_file() else "")
    print(f"demo: engine {engine.name} ({engine.reason})", file=sys.stderr)
    if engine.name == "llamacpp":
        print(f"demo: loading {engine.gguf} with llama.cpp ...", file=sys.stderr)
        model, tokenizer, window, stream, device_name = load_gguf(engine)
    else:
        print(
            f"demo: loading base model {meta['base_model']} + adapter {settings.adapter} ...", file=sys.stderr
        )
        model, tokenizer = load_model(settings.adapter, meta)
        device = next(model.parameters()).device
        device_name = "GPU (CUDA)" if device.type == "cuda" else "CPU (no GPU found)"
        window, stream = context_window(model, tokenizer), None
    decoding = adapter_decoding(meta)
    service = ChatService(
        model,
        tokenizer,
        window,
        settings.emergency_number,
        settings.crisis_line,
        decoding=decoding,
        stream=stream,
    )
    # the pipeline's metrics describe models/adapter, not an adapter from elsewhere
    metrics_dir = paths.METRICS if settings.adapter == paths.ADAPTER else None
    panel = model_panel(
        settings.adapter, meta, window, device_name, settings.emergency_number, metrics_dir, engine
    )
    app = build_app(service, panel, stats=settings.stats)
    # the OpenAI-compatible /v1 API, on the same server and service
    from medassist.serve.api import api_routes

    routes = api_routes(service, meta, settings.adapter, settings.auth, engine)
    app.queue(default_concurrency_limit=1)  # one generation at a time; other users wait their turn
    if settings.share:
        print(
            "demo: SHARE=1: opening a PUBLIC link; anyone with it can use this demo"
            + ("" if settings.auth else " (set DEMO_AUTH=user:password to require a login)"),
            file=sys.stderr,
        )
    if settings.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"demo: DEMO_HOST={settings.host}: reachable from other machines", file=sys.stderr)
    import gradio as gr

    try:
        app.launch(
            server_name=settings.host,
            server_port=settings.port,
            share=settings.share,
            auth=settings.auth,
            show_error=False,
            ssr_mode=False,
            theme=gr.themes.Soft(),
            css=CSS,
            quiet=True,
            prevent_thread_lock=True,
            app_kwargs={"routes": routes},
        )
    except OSError as exc:
        why = "the port is in use" if "empty port" in str(exc) else str(exc)
        raise MedassistError(
            f"cannot serve on {settings.host}:{settings.port} ({why}); pick another port with PORT=..."
        ) from None
    print(
        f"demo: serving {settings.adapter} on {meta['base_model']}"
        + (f" as {engine.gguf} (llama.cpp)" if engine.gguf else "")
        + f" at {app.local_url}"
        + (
            f" and publicly at {app.share_url}"
            if app.share_url
            else " (this machine only; SHARE=1 for a public link)"
        )
        + ("; login required" if settings.auth else "")
        + f"; OpenAI-compatible API at {app.local_url}v1 (docs/serving.md)",
        file=sys.stderr,
    )
    return app


def main() -> None:
    serve(settings_from_env()).block_thread()
