"""The demo server's OpenAI-compatible API: POST /v1/chat/completions and GET /v1/models.

    from openai import OpenAI
    client = OpenAI(base_url="http://127.0.0.1:7860/v1", api_key="-")   # DEMO_AUTH=user:pw -> api_key="user:pw"
    client.chat.completions.create(model="medassist", messages=[{"role": "user", "content": "What is anemia?"}])

Same process, host and port as the Gradio page: medassist.serve.app hands these routes to the
FastAPI app Gradio builds (launch's app_kwargs), so SHARE=1 and DEMO_HOST apply to both. Every
answer comes from the page's ChatService (prepare, then answer): the same safety checks (an emergency gets the
fixed emergency reply, the model never runs), the same chat format, the same prompt fitting,
and the same one-generation-at-a-time lock.

What the API adds is the OpenAI shape around it:
- requests: `messages` (system/developer messages are ignored: the fine-tune was trained without
  a system prompt; the last message must be the user's question), `temperature` (default 0,
  greedy, as evaluated; at most 1.5), `max_tokens` / `max_completion_tokens` (default 256, at
  most 1024), `frequency_penalty` / `presence_penalty` (OpenAI's additive penalties on the tokens
  the answer has produced, -2 to 2, default 0; on top of the decoding settings every answer gets,
  the adapter's as evaluated), `stream` (server-sent events, `data: [DONE]` at the end),
  `stream_options.include_usage`; other OpenAI fields are accepted and ignored; `n` must be 1.
- bad requests (not JSON, JSON nested deeper than MAX_JSON_DEPTH, wrong shape, empty messages or
  question, a question over 4,000 characters, malformed text: control characters, lone
  surrogates (medassist.serve.textcheck), a prompt that does not fit the context window, too
  many tokens) get a 400 with an OpenAI error body `{"error": {"message", "type", "param",
  "code"}}`; an unknown model a 404. No request gets a 5xx (tests/test_hostile_clients.py).
- GET /v1/openapi.json: the OpenAPI document of these routes (medassist.serve.openapi).
- auth: when DEMO_AUTH=user:password is set, every /v1 request needs `Authorization: Bearer
  user:password` (the OpenAI client's api_key) or HTTP basic auth with the same pair; else 401.
- queueing: model requests wait their turn in FIFO order without holding a thread (at most
  MAX_WAITING of them; more get a 429, which the OpenAI client retries); fixed replies
  (emergencies) never wait behind generations.

No message text is logged.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import secrets
import sys
import threading
import time
import traceback
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from medassist.serve.prompting import content_text
from medassist.serve.service import ChatService, Turn
from medassist.serve.settings import (
    DEFAULT_MAX_NEW_TOKENS,
    MAX_NEW_TOKENS_LIMIT,
    MAX_PENALTY,
    MAX_TEMPERATURE,
    Engine,
)
from medassist.serve.textcheck import control_token, malformed

MODEL_ID = "medassist"
MAX_WAITING = 64  # model requests queued or running at once; more get a 429
MAX_BODY_BYTES = 1_000_000  # a conversation, not a corpus
MAX_MESSAGES = 200
MAX_JSON_DEPTH = 32  # a chat request nests 5 deep; the decoder's own limit (~1,000) is a RecursionError


# --------------------------------------------------------------------------------------------
# Request shape (OpenAI chat completions; unknown fields are ignored)


class _Message(BaseModel):
    model_config = ConfigDict(extra="ignore")
    role: Literal["system", "developer", "user", "assistant"]
    content: str | list[dict] | None = None


class _StreamOptions(BaseModel):
    model_config = ConfigDict(extra="ignore")
    include_usage: bool = False


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")
    model: str
    messages: list[_Message] = Field(min_length=1, max_length=MAX_MESSAGES)
    temperature: float | None = Field(default=None, ge=0.0, le=MAX_TEMPERATURE)
    frequency_penalty: float | None = Field(default=None, ge=-MAX_PENALTY, le=MAX_PENALTY)
    presence_penalty: float | None = Field(default=None, ge=-MAX_PENALTY, le=MAX_PENALTY)
    max_tokens: int | None = Field(default=None, ge=1, le=MAX_NEW_TOKENS_LIMIT)
    max_completion_tokens: int | None = Field(default=None, ge=1, le=MAX_NEW_TOKENS_LIMIT)
    stream: bool = False
    stream_options: _StreamOptions | None = None
    n: int | None = Field(default=None, ge=1, le=1)


class APIError(Exception):
    """An OpenAI-style error response."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        param: str | None = None,
        code: str | None = None,
        kind: str = "invalid_request_error",
        headers: dict | None = None,
    ):
        super().__init__(message)
        self.status, self.message, self.param, self.code, self.kind = status, message, param, code, kind
        self.headers = headers

    def response(self) -> JSONResponse:
        body = {"error": {"message": self.message, "type": self.kind, "param": self.param, "code": self.code}}
        return _ASCIIJSONResponse(body, status_code=self.status, headers=self.headers)


class _ASCIIJSONResponse(JSONResponse):
    """JSON with non-ASCII escaped: an error that quotes the request (a model name) stays
    encodable when the request held a lone surrogate ("\\ud800" is valid JSON, not UTF-8)."""

    def render(self, content) -> bytes:
        return json.dumps(content, separators=(",", ":")).encode()


def _too_deep(data) -> bool:
    """Whether JSON arrays/objects nest deeper than MAX_JSON_DEPTH (walked without recursion)."""
    stack = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, (dict, list)):
            if depth > MAX_JSON_DEPTH:
                return True
            stack.extend((child, depth + 1) for child in (node.values() if isinstance(node, dict) else node))
    return False


def parse_request(body: bytes) -> ChatRequest:
    try:
        data = json.loads(body)
        too_deep = _too_deep(data)
    except (ValueError, UnicodeDecodeError):
        raise APIError(400, "the request body is not valid JSON", code="invalid_json") from None
    except RecursionError:  # the decoder's own depth limit: [[[[...]]]] a thousand deep
        too_deep = True
    if too_deep:
        raise APIError(
            400, f"the request body nests JSON deeper than {MAX_JSON_DEPTH} levels", code="json_too_deep"
        )
    if not isinstance(data, dict):
        raise APIError(400, "the request body must be a JSON object")
    try:
        return ChatRequest.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        param = ".".join(str(p) for p in first["loc"]) or None
        raise APIError(400, f"{param}: {first['msg']}" if param else first["msg"], param=param) from None


def _check_earlier(messages: list[_Message], control_tokens: list[str]) -> None:
    """The earlier user and assistant messages the model reads must be well-formed text without
    control tokens (the question itself is checked by the service, for the page too)."""
    for index, message in enumerate(messages):
        if message.role not in ("user", "assistant"):
            continue
        text = content_text(message.content)
        problem = malformed(text) or control_token(text, control_tokens)
        if problem is not None:
            param = f"messages.{index}.content"
            raise APIError(400, f"{param}: contains {problem}", param=param, code="invalid_text")


def check_auth(request: Request, auth: tuple[str, str] | None) -> None:
    """DEMO_AUTH=user:password maps to `Authorization: Bearer user:password` (or basic auth)."""
    if auth is None:
        return
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    supplied = credentials.strip()
    if scheme.lower() == "basic":
        try:
            supplied = base64.b64decode(supplied, validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            supplied = ""
    elif scheme.lower() != "bearer":
        supplied = ""
    if not secrets.compare_digest(supplied.encode(), f"{auth[0]}:{auth[1]}".encode()):
        raise APIError(
            401,
            "missing or wrong API key: this server has DEMO_AUTH set; send its user:password "
            "as the API key (Authorization: Bearer user:password)",
            code="invalid_api_key",
            headers={"WWW-Authenticate": 'Bearer realm="medassist"'},
        )


# --------------------------------------------------------------------------------------------
# Answering: ChatService.respond run in one worker thread, its texts handed to the event loop


def _finish_reason(result, max_new_tokens: int) -> str:
    if result is not None and not result.ended_with_eos and result.new_tokens >= max_new_tokens:
        return "length"
    return "stop"


def _usage(result) -> dict:
    prompt, completion = (result.prompt_tokens, result.new_tokens) if result is not None else (0, 0)
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


class ChatAPI:
    def __init__(
        self,
        service: ChatService,
        meta: dict,
        adapter_dir: Path,
        auth: tuple[str, str] | None,
        engine: Engine | None = None,
    ):
        self.service, self.meta, self.adapter_dir, self.auth = service, meta, Path(adapter_dir), auth
        self.engine = engine or Engine("transformers", "")
        self._turn = asyncio.Lock()  # FIFO: one API generation handed to the service at a time
        self._waiting = 0
        self._tasks: set[asyncio.Task] = set()  # the event loop keeps only weak references to tasks

    def _run(self, turn: Turn, emit: Callable[[str], None], cancelled: threading.Event):
        """In a worker thread: every text the service's answer yields goes to ``emit``; returns the
        generation's StreamResult (None for a fixed reply). A client that went away closes the
        stream, which stops the generation within a token."""
        if cancelled.is_set():
            return None
        self.service.take_result()
        replies = self.service.answer(turn)
        try:
            for text in replies:
                emit(text)
                if cancelled.is_set():
                    break
        finally:
            replies.close()
        return self.service.take_result()

    async def _answer(
        self, needs_model: bool, turn: Turn, cancelled: threading.Event | None = None
    ) -> AsyncIterator[tuple[str, object]]:
        """Yields ("text", reply so far) items, then ("done", StreamResult | None). Setting
        ``cancelled`` (or closing this iterator) stops the generation."""
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue = asyncio.Queue()
        cancelled = cancelled or threading.Event()

        def emit(text: str) -> None:
            loop.call_soon_threadsafe(queue.put_nowait, ("text", text))

        async def work() -> None:
            try:
                if needs_model:
                    async with self._turn:
                        result = await run_in_threadpool(self._run, turn, emit, cancelled)
                else:
                    result = await run_in_threadpool(self._run, turn, emit, cancelled)
                queue.put_nowait(("done", result))
            except Exception as exc:  # surfaced to the response; the server keeps serving
                queue.put_nowait(("error", exc))
            finally:
                self._waiting -= needs_model

        self._waiting += needs_model
        task = asyncio.create_task(work())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        try:
            while True:
                kind, value = await queue.get()
                if kind == "error":
                    raise value  # type: ignore[misc]
                yield kind, value
                if kind == "done":
                    return
        finally:
            cancelled.set()  # a no-op after the end; stops the generation of a client that left

    async def _prepare(self, request: Request) -> tuple[ChatRequest, Turn, bool]:
        check_auth(request, self.auth)
        chunks, size = [], 0
        async for chunk in request.stream():  # read up to the cap, never the whole of a huge body
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                raise APIError(
                    400, f"the request body is over {MAX_BODY_BYTES:,} bytes", code="body_too_large"
                )
            chunks.append(chunk)
        req = parse_request(b"".join(chunks))
        if req.model != MODEL_ID:
            raise APIError(
                404,
                f"the model '{req.model}' does not exist here; this server serves '{MODEL_ID}' "
                "(GET /v1/models)",
                param="model",
                code="model_not_found",
            )
        *earlier, last = req.messages
        if last.role != "user":
            raise APIError(
                400, "messages: the last message must be the user's question (role 'user')", param="messages"
            )
        question = content_text(last.content).strip()
        history = [
            {"role": m.role, "content": content_text(m.content)}
            for m in earlier
            if m.role in ("user", "assistant")
        ]  # no system prompt: the fine-tune never saw one
        temperature = req.temperature if req.temperature is not None else 0.0
        max_new_tokens = req.max_completion_tokens or req.max_tokens or DEFAULT_MAX_NEW_TOKENS
        # The page answers bad input with a chat message; an API answers it with a 400. The checks
        # are the service's own: an emergency is answered (never rejected), without the model.
        turn = await run_in_threadpool(
            self.service.prepare,
            question,
            history,
            temperature,
            max_new_tokens,
            req.frequency_penalty or 0.0,
            req.presence_penalty or 0.0,
        )
        if turn.kind == "invalid":
            raise APIError(400, f"messages: {turn.reply}", param="messages", code="invalid_message")
        if turn.kind == "too_long":
            raise APIError(
                400,
                f"messages: the question with max_tokens={turn.max_new_tokens} does not fit the "
                f"model's context of {self.service.window:,} tokens; shorten it or lower max_tokens",
                param="messages",
                code="context_length_exceeded",
            )
        needs_model = turn.reply is None
        if needs_model:
            _check_earlier(req.messages[:-1], self.service.control_tokens())
        if needs_model and self._waiting >= MAX_WAITING:
            raise APIError(
                429,
                f"the server is busy ({MAX_WAITING} requests waiting); retry shortly",
                kind="rate_limit_error",
                code="server_busy",
            )
        return req, turn, needs_model

    async def chat_completions(self, request: Request):
        try:
            req, turn, needs_model = await self._prepare(request)
        except APIError as exc:
            return exc.response()
        except Exception as exc:  # a bug: logged by where it happened (never the text), answered in shape
            print(
                f"api: request failed ({type(exc).__name__}):\n{''.join(traceback.format_tb(exc.__traceback__))}",
                file=sys.stderr,
            )
            return APIError(500, "the server failed to read this request", kind="server_error").response()
        head = {"id": f"chatcmpl-{uuid.uuid4().hex}", "created": int(time.time()), "model": MODEL_ID}
        max_new_tokens = turn.max_new_tokens
        if req.stream:
            include_usage = bool(req.stream_options and req.stream_options.include_usage)
            return StreamingResponse(
                self._events(head, needs_model, turn, include_usage),
                media_type="text/event-stream",
                headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
            )
        text, result = "", None
        left = threading.Event()
        watch = asyncio.create_task(self._watch_disconnect(request, left))
        try:
            async for kind, value in self._answer(needs_model, turn, cancelled=left):
                if kind == "text":
                    text = value
                else:
                    result = value
        finally:
            watch.cancel()
        return JSONResponse(
            {
                **head,
                "object": "chat.completion",
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": text},
                        "logprobs": None,
                        "finish_reason": _finish_reason(result, max_new_tokens),
                    }
                ],
                "usage": _usage(result),
            }
        )

    @staticmethod
    async def _watch_disconnect(request: Request, left: threading.Event) -> None:
        """Sets ``left`` when the client of a non-streaming request goes away (a streaming one is
        noticed by the response itself), so a timed-out client does not keep the model busy."""
        while not await request.is_disconnected():
            await asyncio.sleep(0.25)
        left.set()

    async def _events(
        self, head: dict, needs_model: bool, turn: Turn, include_usage: bool
    ) -> AsyncIterator[str]:
        def event(choices: list, **extra) -> str:
            return (
                "data: "
                + json.dumps({**head, "object": "chat.completion.chunk", "choices": choices, **extra})
                + "\n\n"
            )

        def delta(**fields) -> list:
            return [{"index": 0, "delta": fields, "logprobs": None, "finish_reason": None}]

        yield event(delta(role="assistant", content=""))
        sent, result = "", None
        async for kind, value in self._answer(needs_model, turn):
            if kind == "done":
                result = value
                continue
            # Each text extends the previous one; a reply that replaces it (an apology after a
            # failure mid-answer) is appended, since streamed text cannot be taken back.
            piece = value[len(sent) :] if value.startswith(sent) else "\n\n" + value
            if piece:
                sent += piece
                yield event(delta(content=piece))
        yield event(
            [
                {
                    "index": 0,
                    "delta": {},
                    "logprobs": None,
                    "finish_reason": _finish_reason(result, turn.max_new_tokens),
                }
            ]
        )
        if include_usage:
            yield event([], usage=_usage(result))
        yield "data: [DONE]\n\n"

    async def models(self, request: Request):
        try:
            check_auth(request, self.auth)
        except APIError as exc:
            return exc.response()
        config = self.adapter_dir / "adapter_config.json"
        created = int(config.stat().st_mtime) if config.exists() else 0
        return JSONResponse(
            {
                "object": "list",
                "data": [
                    {
                        "id": MODEL_ID,
                        "object": "model",
                        "created": created,
                        "owned_by": "medassist",
                        "root": str(self.adapter_dir),
                        "parent": self.meta["base_model"],  # vLLM's names for adapter and base
                        "quantization": self.meta.get("quantization"),
                        "engine": self.engine.name,
                        **({"gguf": str(self.engine.gguf)} if self.engine.gguf else {}),
                    }
                ],
            }
        )

    async def openapi(self, request: Request):
        """The /v1 routes' OpenAPI document (medassist.serve.openapi), behind the same key."""
        from medassist.serve.openapi import openapi_document

        try:
            check_auth(request, self.auth)
        except APIError as exc:
            return exc.response()
        return JSONResponse(openapi_document())


def api_routes(
    service: ChatService,
    meta: dict,
    adapter_dir: Path,
    auth: tuple[str, str] | None,
    engine: Engine | None = None,
) -> list:
    """The /v1 routes, for FastAPI(routes=...) (what medassist.serve.app passes to Gradio's launch)."""
    api = ChatAPI(service, meta, adapter_dir, auth, engine)
    router = APIRouter(prefix="/v1")
    router.add_api_route("/chat/completions", api.chat_completions, methods=["POST"], include_in_schema=False)
    router.add_api_route("/models", api.models, methods=["GET"], include_in_schema=False)
    router.add_api_route("/openapi.json", api.openapi, methods=["GET"], include_in_schema=False)
    return router.routes
