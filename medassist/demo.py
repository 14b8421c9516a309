"""`make demo`: a safe, streaming Gradio chat over the trained adapter (models/adapter).

    python -m medassist.demo          # http://127.0.0.1:7860
    PORT=8000 python -m medassist.demo
    SHARE=1 DEMO_AUTH=user:secret python -m medassist.demo

What it serves: the LoRA adapter in models/adapter on the base model named in the adapter's
config (pulled from the DVC remote, as `make pull` does, when it is missing). It never falls back to the
base model: no adapter, no demo.

Every message goes through medassist.safety before the model runs: empty or overlong messages
and descriptions of a medical emergency get a fixed reply; only the rest reach the model. The
conversation is formatted with the shared chat format (medassist.chat.encode_prompt) and the
oldest turns are dropped until prompt + max new tokens fit the model's context window. One
generation runs at a time; other users wait in Gradio's queue. No message text is logged.

The same server answers the OpenAI chat-completions API at /v1 (medassist.api, docs/serving.md)
through the same ChatService; DEMO_AUTH's user:password is then its API key.

Environment variables (all optional):
    PORT               port to listen on (default 7860)
    DEMO_HOST          interface to bind (default 127.0.0.1: this machine only)
    SHARE=1            also open a public *.gradio.live link (off unless set)
    DEMO_AUTH          "user:password": require HTTP basic auth
    EMERGENCY_NUMBER   the number emergency replies tell users to call (default 911)
    CRISIS_LINE        the crisis line self-harm replies name (default: the US 988 Lifeline)
    DEMO_ADAPTER       adapter directory (default models/adapter)
    DEMO_STATS=1       expose /stats (request counters, no text) for tests and monitoring
"""

from __future__ import annotations

import json
import os
import sys
import threading
import traceback
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no telemetry calls from the demo

from medassist import MedassistError  # noqa: E402
from medassist.chat import Turn, encode_prompt  # noqa: E402
from medassist.io import file_digest  # noqa: E402
from medassist.safety import DISCLAIMER, check_emergency, emergency_reply, validate_message  # noqa: E402

ADAPTER = Path("models/adapter")
METRICS = Path("metrics")
MAX_MESSAGE_CHARS = 4000          # a question, not a document; the token budget is checked too
DEFAULT_MAX_NEW_TOKENS = 256      # eval.max_new_tokens of the reference setup
MAX_NEW_TOKENS_LIMIT = 1024
MAX_TEMPERATURE = 1.5
EMERGENCY_SCAN_CHARS = 20_000     # the emergency check reads at most this much of a message
EXAMPLES = [
    "What are the risk factors for stroke?",
    "What is the mechanism of action of metformin?",
    "What are the symptoms of iron deficiency anemia?",
    "How is hypertension diagnosed?",
]
EMPTY_REPLY_FALLBACK = "I could not produce an answer to that. Please try rephrasing your question."
ERROR_REPLY = "Sorry, something went wrong while generating the answer. Please try again."


# --------------------------------------------------------------------------------------------
# Settings from the environment


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 7860
    share: bool = False
    auth: tuple[str, str] | None = None
    emergency_number: str = "911"
    crisis_line: str = ""
    adapter: Path = ADAPTER
    stats: bool = False


def _flag(env: Mapping[str, str], name: str) -> bool:
    value = env.get(name, "").strip().lower()
    if value in ("", "0", "false", "no", "off"):
        return False
    if value in ("1", "true", "yes", "on"):
        return True
    raise MedassistError(f"{name}={env[name]!r}: expected 1 or 0")


def settings_from_env(env: Mapping[str, str] = os.environ) -> Settings:
    port_text = env.get("PORT", "").strip() or "7860"
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise MedassistError(f"PORT={port_text!r}: expected a port number between 1 and 65535")
    auth = None
    if env.get("DEMO_AUTH"):
        user, sep, password = env["DEMO_AUTH"].partition(":")
        if not sep or not user or not password:
            raise MedassistError("DEMO_AUTH must look like user:password (both non-empty)")
        auth = (user, password)
    return Settings(
        host=env.get("DEMO_HOST", "").strip() or "127.0.0.1",
        port=int(port_text),
        share=_flag(env, "SHARE"),
        auth=auth,
        emergency_number=env.get("EMERGENCY_NUMBER", "").strip() or "911",
        crisis_line=env.get("CRISIS_LINE", "").strip(),
        adapter=Path(env.get("DEMO_ADAPTER", "").strip() or ADAPTER),
        stats=_flag(env, "DEMO_STATS"),
    )


# --------------------------------------------------------------------------------------------
# The adapter: found locally, or pulled from the DVC remote, or a clear error


def _adapter_complete(adapter_dir: Path) -> bool:
    return (adapter_dir / "adapter_config.json").is_file() and (adapter_dir / "medassist.json").is_file()


def resolve_adapter(adapter_dir: Path = ADAPTER) -> dict:
    """The adapter's metadata. When models/adapter is not here, it is pulled from the DVC remote
    first, with the project's verified pull (medassist.remote: `dvc fetch` of what dvc.lock
    records, md5-checked, moved into place in one step, so never a partial adapter)."""
    from medassist.modeling import read_adapter_meta

    if not _adapter_complete(adapter_dir):
        if adapter_dir != ADAPTER:
            raise MedassistError(f"no trained adapter in {adapter_dir} (adapter_config.json / medassist.json missing)")
        print(f"demo: no trained adapter in {adapter_dir}; pulling it from the DVC remote (make pull) ...",
              file=sys.stderr)
        from medassist import remote

        try:
            remote.pull()
            reason = "the pull brought no adapter"
        except MedassistError as exc:
            reason = str(exc)
        if not _adapter_complete(adapter_dir):
            raise MedassistError(
                f"no trained adapter in {adapter_dir}, and the DVC pull of it failed: {reason}. "
                "To get one: train it with `dvc repro` (GPU, full data), or offline with `make smoke` and then "
                "`dvc exp apply smoke` (the smoke run keeps its adapter in that experiment until applied), or "
                "configure the project's DVC remote and fetch the trained adapter with `make pull`. "
                "The demo does not serve the base model in place of the fine-tune."
            )
    meta = read_adapter_meta(adapter_dir)
    config = json.loads((adapter_dir / "adapter_config.json").read_text())
    named = config.get("base_model_name_or_path")
    if not named:
        raise MedassistError(f"{adapter_dir}/adapter_config.json names no base model; re-train the adapter")
    meta["base_model"] = meta.get("base_model") or named
    meta["config_base"] = named
    return meta


def load_model(adapter_dir: Path, meta: dict):
    """Base (named in the adapter config) + adapter; raises rather than serve the bare base."""
    from peft import PeftModel

    from medassist.modeling import load_finetuned, load_tokenizer, warn_if_cpu

    warn_if_cpu("the demo")
    model, meta = load_finetuned(adapter_dir, base=meta["config_base"])
    lora_layers = sum(1 for name, _ in model.named_modules() if name.endswith("lora_A"))
    if not isinstance(model, PeftModel) or not model.active_adapters or lora_layers == 0:
        raise MedassistError(f"the adapter in {adapter_dir} did not attach to the base model; refusing to serve the base")
    tokenizer = load_tokenizer(meta["base_model"])
    return model, tokenizer


def context_window(model, tokenizer) -> int:
    """Tokens the model can attend to: prompt (history included) + reply must fit in it.

    This is the base model's max_position_embeddings (2048 for TinyLlama), capped by the
    tokenizer's model_max_length. Not model.max_length (512 in the reference setup): that is
    the length training truncated single flashcards to, not a limit of the model; using it here
    would forget the conversation after a turn or two."""
    window = int(getattr(model.config, "max_position_embeddings", 0) or 2048)
    tok_max = getattr(tokenizer, "model_max_length", None)
    if isinstance(tok_max, int) and 0 < tok_max < 1_000_000:
        window = min(window, tok_max)
    return window


# --------------------------------------------------------------------------------------------
# Gradio history -> (user, assistant) turns -> a prompt that fits


def content_text(content) -> str:
    """Plain text of a Gradio 6 message content: a string, a text block, or a list of them."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        if "text" in content and isinstance(content["text"], str):
            return content["text"]
        return content_text(content.get("content"))
    if isinstance(content, (list, tuple)):
        return "\n".join(t for t in (content_text(c) for c in content) if t)
    return ""  # files, images, components: the model reads text only


def history_turns(history: Sequence | None) -> list[Turn]:
    """Pair Gradio messages into (user, assistant) turns for medassist.chat.

    Consecutive messages of one role are joined; an assistant message with no question before it
    and a question with no answer after it are dropped. Turns whose question never reached the
    model (empty, too long, an emergency, answered with a fixed reply) are left out too, so the
    model only sees its own kind of conversation."""
    merged: list[list[str]] = []
    for message in history or []:
        if not isinstance(message, dict):
            continue
        role, text = message.get("role"), content_text(message.get("content")).strip()
        if role not in ("user", "assistant") or not text:
            continue
        if merged and merged[-1][0] == role:
            merged[-1][1] += "\n\n" + text
        else:
            merged.append([role, text])
    turns: list[Turn] = []
    for (role_a, user), (role_b, assistant) in zip(merged, merged[1:]):
        if role_a == "user" and role_b == "assistant" and reaches_model(user):
            turns.append((user, assistant))
    return turns


def reaches_model(message: str) -> bool:
    return validate_message(message, MAX_MESSAGE_CHARS) is None and check_emergency(message[:EMERGENCY_SCAN_CHARS]) is None


def fit_prompt(tokenizer, question: str, turns: Sequence[Turn], max_new_tokens: int, window: int):
    """Prompt ids for the question and as many recent turns as fit, and how many turns were kept.

    Returns (None, 0) when the question alone does not fit with max_new_tokens."""
    budget = window - max_new_tokens
    for start in range(len(turns) + 1):
        ids = encode_prompt(tokenizer, question, turns[start:])
        if len(ids) <= budget:
            return ids, len(turns) - start
    return None, 0


# --------------------------------------------------------------------------------------------
# The chat function


def _clamp(value, default: float, low: float, high: float) -> float:
    """A slider value from the UI or the API, coerced into [low, high] (default when unusable)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return default if number != number else min(max(number, low), high)  # NaN -> default


class ChatService:
    """Answers one message: safety checks first, then the model, one generation at a time."""

    def __init__(self, model, tokenizer, window: int, emergency_number: str = "911", crisis_line: str = ""):
        self.model, self.tokenizer, self.window = model, tokenizer, window
        self.emergency_number = emergency_number
        self.crisis_line = crisis_line
        self._generate_lock = threading.Lock()  # one generation at a time, whatever the event
        self._stats_lock = threading.Lock()
        self._thread = threading.local()  # the last generation's StreamResult in each thread (take_result)
        self._stats = {"model_calls": 0, "emergency_replies": 0, "rejected_inputs": 0, "active_generations": 0,
                       "max_active_generations": 0, "stopped_generations": 0, "failed_generations": 0,
                       "last_generation": None}

    def stats(self) -> dict:
        with self._stats_lock:
            return json.loads(json.dumps(self._stats))

    def _count(self, key: str, delta: int = 1) -> None:
        with self._stats_lock:
            self._stats[key] += delta
            if key == "active_generations":
                self._stats["max_active_generations"] = max(self._stats["max_active_generations"], self._stats[key])

    def _generation_done(self, result, settings: dict) -> None:
        with self._stats_lock:
            self._stats["last_generation"] = {
                **settings, "prompt_tokens": result.prompt_tokens, "new_tokens": result.new_tokens,
                "ended_with_eos": result.ended_with_eos, "stopped": result.stopped,
            }
            self._stats["stopped_generations"] += int(result.stopped)
        self._thread.result = result  # on_done runs in the thread that iterates respond()

    def take_result(self):
        """The StreamResult of the last generation that respond() ran in this thread (None if none
        since the last call): the API's token counts and finish reason."""
        result, self._thread.result = getattr(self._thread, "result", None), None
        return result

    def fixed_reply(self, message: str | None) -> str | None:
        """The reply for a message that must not reach the model (empty, an emergency, too long), else None."""
        text = (message or "").strip()
        if text:
            match = check_emergency(text[:EMERGENCY_SCAN_CHARS])
            if match is not None:  # before the length check: an emergency is never told to shorten
                self._count("emergency_replies")
                return emergency_reply(match, self.emergency_number, self.crisis_line)
        invalid = validate_message(text, MAX_MESSAGE_CHARS)
        if invalid is not None:
            self._count("rejected_inputs")
        return invalid

    def respond(self, message, history, temperature=0.0, max_new_tokens=DEFAULT_MAX_NEW_TOKENS) -> Iterator[str]:
        """Gradio's chat fn: yields the reply so far (each value extends the previous one).

        Never raises: a failure becomes a short apology in the chat, and the log gets where it
        happened (the traceback's frames), never what was asked."""
        try:
            yield from self._respond(message, history, temperature, max_new_tokens)
        except Exception as exc:
            self._count("failed_generations")
            print(f"demo: answering failed ({type(exc).__name__}):\n" + "".join(traceback.format_tb(exc.__traceback__)),
                  file=sys.stderr)
            yield ERROR_REPLY

    def _respond(self, message, history, temperature, max_new_tokens) -> Iterator[str]:
        from medassist.streaming import stream_generate

        message = content_text(message)
        temperature = _clamp(temperature, 0.0, 0.0, MAX_TEMPERATURE)
        max_new_tokens = int(_clamp(max_new_tokens, DEFAULT_MAX_NEW_TOKENS, 1, MAX_NEW_TOKENS_LIMIT))
        fixed = self.fixed_reply(message)
        if fixed is not None:
            yield fixed
            return
        question = message.strip()
        ids, _kept = fit_prompt(self.tokenizer, question, history_turns(history), max_new_tokens, self.window)
        if ids is None:
            self._count("rejected_inputs")
            alone = len(encode_prompt(self.tokenizer, question))
            yield (
                f"Your message is too long for the model: it takes {alone:,} tokens, and with up to "
                f"{max_new_tokens:,} new tokens for the answer that exceeds the model's context of "
                f"{self.window:,} tokens. Please shorten it (or lower \"Max new tokens\")."
            )
            return
        text = ""
        with self._generate_lock:  # one generation at a time, whichever event (UI, API, example) asked
            self._count("model_calls")
            self._count("active_generations")
            try:
                on_done = partial(self._generation_done, settings={"temperature": temperature,
                                                                   "max_new_tokens": max_new_tokens})
                for text in stream_generate(self.model, self.tokenizer, ids, temperature=temperature,
                                            max_new_tokens=max_new_tokens, on_done=on_done):
                    yield text.strip()
            finally:
                self._count("active_generations", -1)
        if not text.strip():
            yield EMPTY_REPLY_FALLBACK


# --------------------------------------------------------------------------------------------
# The "what is served" panel


def _number(value) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, dict):
        for key in ("value", "score", "mean", "point", "estimate"):
            if key in value:
                return _number(value[key])
    return None


def _interval(data: dict, key: str) -> tuple[float, float] | None:
    value = data.get(key)
    candidates = [value.get("ci"), value.get("ci95"), (value.get("ci_low"), value.get("ci_high")),
                  (value.get("low"), value.get("high"))] if isinstance(value, dict) else []
    candidates += [data.get(f"{key}_ci"), data.get(f"{key}_ci95"), (data.get(f"{key}_ci_low"), data.get(f"{key}_ci_high"))]
    for c in candidates:
        if isinstance(c, (list, tuple)) and len(c) == 2 and all(_number(x) is not None for x in c):
            return _number(c[0]), _number(c[1])
    return None


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _score_cell(data: dict, key: str) -> str:
    value = _number(data.get(key))
    if value is None:
        return "–"
    ci = _interval(data, key)
    return f"{value:.1f}" + (f" [{ci[0]:.1f}, {ci[1]:.1f}]" if ci else "")


def _percent(data: dict, key: str) -> str:
    value = _number(data.get(key))
    return "–" if value is None else f"{value:.0%}"


def _file_digest(path: Path) -> str | None:
    if not path.is_file():
        return None
    return file_digest(path)[:12]


def model_panel(adapter_dir: Path, meta: dict, window: int, device: str, emergency_number: str = "911",
                metrics_dir: Path | None = METRICS) -> str:
    """Markdown: which base and adapter are served, and their metrics when the pipeline made them."""
    lora = meta.get("lora") or {}
    quant = {"nf4": "4-bit NF4 (QLoRA)", "none": "unquantized"}.get(meta.get("quantization"), meta.get("quantization"))
    digest = _file_digest(adapter_dir / "adapter_model.safetensors")
    lines = [
        "### Model being served",
        f"- **Base model:** `{meta['base_model']}` ({quant})",
        f"- **Fine-tuned adapter:** `{adapter_dir}`" + (f" (weights sha256 `{digest}`)" if digest else ""),
    ]
    if lora:
        lines.append(f"- **LoRA:** r={lora.get('r')}, alpha={lora.get('alpha')}, "
                     f"targets {', '.join(lora.get('target_modules') or [])}")
    lines.append(f"- **Runs on:** {device}; context {window:,} tokens (oldest turns are dropped to fit)")
    lines.append(f"- **Safety:** messages describing an emergency get a fixed reply (call {emergency_number}) "
                 "instead of a model answer; no message text is logged")

    if metrics_dir is None:
        lines += ["", f"*Metrics not shown: those in {METRICS}/ describe {ADAPTER}, not this adapter.*"]
        return "\n".join(lines)
    finetuned = _read_json(metrics_dir / "eval_finetuned.json")
    base = _read_json(metrics_dir / "eval_base.json")
    compare = _read_json(metrics_dir / "compare.json")
    finetuned = finetuned or compare.get("finetuned") or compare.get("fine_tuned") or {}
    base = base or compare.get("base") or {}
    keys = ("bleu", "rouge1", "rouge2", "rougeL")
    if any(_number(finetuned.get(k)) is not None for k in keys):
        n = _number(finetuned.get("n"))
        lines += ["", f"**Evaluation** on {f'{n:,.0f} ' if n else ''}held-out flashcards (greedy; 95% interval "
                  "in brackets where recorded)", "", "| metric | fine-tuned | base |", "|---|---|---|"]
        lines += [f"| {k} | {_score_cell(finetuned, k)} | {_score_cell(base, k)} |" for k in keys]
        if _number(finetuned.get("eos_rate")) is not None:
            lines.append(f"| answers that end (EOS) | {_percent(finetuned, 'eos_rate')} | {_percent(base, 'eos_rate')} |")
    else:
        lines += ["", f"*No evaluation metrics yet ({metrics_dir}/eval_finetuned.json): run `dvc repro` to make them.*"]
    train = _read_json(metrics_dir / "train.json")
    parts = [f"{label} {_number(train.get(k)):.3f}" for k, label in (("train_loss", "train loss"), ("eval_loss", "eval loss"))
             if _number(train.get(k)) is not None]
    if parts:
        lines += ["", "**Training:** " + ", ".join(parts)]
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
        gr.Markdown("# medassist\nA small model fine-tuned on medical flashcards. Ask an educational "
                    "medical question; answers stream in as they are generated.")
        gr.Markdown(f"⚠️ **{DISCLAIMER}**", elem_id="disclaimer")
        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                temperature = gr.Slider(0.0, MAX_TEMPERATURE, value=0.0, step=0.05, label="Temperature",
                                        info="0 = greedy (deterministic, as evaluated)", render=False)
                max_new = gr.Slider(16, MAX_NEW_TOKENS_LIMIT, value=DEFAULT_MAX_NEW_TOKENS, step=16,
                                    label="Max new tokens", render=False)
                gr.ChatInterface(
                    service.respond,
                    chatbot=gr.Chatbot(height=520, label="medassist", elem_id="chat", buttons=["copy", "copy_all"], placeholder=(
                        "**Ask a medical question.** Educational information only, not a diagnosis or "
                        "treatment. In an emergency, call your local emergency number.")),
                    textbox=gr.Textbox(placeholder="Ask a medical question…", show_label=False, scale=7,
                                       submit_btn=True, stop_btn=True, autofocus=True),
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
            stats_button.click(service.stats, None, stats_json, api_name="stats", concurrency_limit=None,
                               api_description="Request counters (no message text).")
    return app


def serve(settings: Settings):
    """Load the fine-tune and start the app in the background; returns the launched gr.Blocks."""
    meta = resolve_adapter(settings.adapter)
    print(f"demo: loading base model {meta['base_model']} + adapter {settings.adapter} ...", file=sys.stderr)
    model, tokenizer = load_model(settings.adapter, meta)
    device = next(model.parameters()).device
    device_name = "GPU (CUDA)" if device.type == "cuda" else "CPU (no GPU found)"
    window = context_window(model, tokenizer)
    service = ChatService(model, tokenizer, window, settings.emergency_number, settings.crisis_line)
    metrics_dir = METRICS if settings.adapter == ADAPTER else None  # pipeline metrics describe models/adapter
    panel = model_panel(settings.adapter, meta, window, device_name, settings.emergency_number, metrics_dir)
    app = build_app(service, panel, stats=settings.stats)
    from medassist.api import api_routes  # the OpenAI-compatible /v1 API, on the same server and service

    routes = api_routes(service, meta, settings.adapter, settings.auth)
    app.queue(default_concurrency_limit=1)  # one generation at a time; other users wait their turn
    if settings.share:
        print("demo: SHARE=1: opening a PUBLIC link; anyone with it can use this demo"
              + ("" if settings.auth else " (set DEMO_AUTH=user:password to require a login)"), file=sys.stderr)
    if settings.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"demo: DEMO_HOST={settings.host}: reachable from other machines", file=sys.stderr)
    import gradio as gr

    try:
        app.launch(server_name=settings.host, server_port=settings.port, share=settings.share, auth=settings.auth,
                   show_error=False, ssr_mode=False, theme=gr.themes.Soft(), css=CSS, quiet=True,
                   prevent_thread_lock=True, app_kwargs={"routes": routes})
    except OSError as exc:
        why = "the port is in use" if "empty port" in str(exc) else str(exc)
        raise MedassistError(f"cannot serve on {settings.host}:{settings.port} ({why}); pick another port with PORT=...") from None
    print(f"demo: serving {settings.adapter} on {meta['base_model']} at {app.local_url}"
          + (f" and publicly at {app.share_url}" if app.share_url else " (this machine only; SHARE=1 for a public link)")
          + ("; login required" if settings.auth else "")
          + f"; OpenAI-compatible API at {app.local_url}v1 (docs/serving.md)", file=sys.stderr)
    return app


def main() -> None:
    serve(settings_from_env()).block_thread()


if __name__ == "__main__":
    from medassist.cli import run

    run(main)
