"""The /v1 API's OpenAPI 3.1 document: what a request may hold and what every answer looks like.

    GET /v1/openapi.json        (with the API key when DEMO_AUTH is set)

The request schema is the handler's own (medassist.serve.api.ChatRequest, pydantic), so the
document cannot drift from what is accepted; the responses are described by the models below,
which the fuzz test (tests/test_hostile_clients.py, schemathesis) checks every answer against. Gradio's
own routes are not in it (they have their own /config and gradio_client).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import models_json_schema

from medassist.serve.api import MAX_BODY_BYTES, MAX_JSON_DEPTH, MAX_WAITING, MODEL_ID, ChatRequest


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Usage(_Strict):
    prompt_tokens: int = Field(ge=0)
    completion_tokens: int = Field(ge=0)
    total_tokens: int = Field(ge=0)


class AssistantMessage(_Strict):
    role: Literal["assistant"]
    content: str


class Choice(_Strict):
    index: Literal[0]
    message: AssistantMessage
    logprobs: None
    finish_reason: Literal["stop", "length"]


class ChatCompletion(_Strict):
    """A whole answer (`stream` false)."""

    id: str = Field(pattern=r"^chatcmpl-")
    object: Literal["chat.completion"]
    created: int
    model: Literal["medassist"]
    choices: list[Choice] = Field(min_length=1, max_length=1)
    usage: Usage


class Delta(_Strict):
    role: Literal["assistant"] | None = None
    content: str | None = None


class ChunkChoice(_Strict):
    index: Literal[0]
    delta: Delta
    logprobs: None
    finish_reason: Literal["stop", "length"] | None


class ChatCompletionChunk(_Strict):
    """One server-sent event of a streamed answer (`data: {...}`; the stream ends with `data: [DONE]`).
    The last chunk has no choices and carries `usage` when stream_options.include_usage is set."""

    id: str = Field(pattern=r"^chatcmpl-")
    object: Literal["chat.completion.chunk"]
    created: int
    model: Literal["medassist"]
    choices: list[ChunkChoice] = Field(max_length=1)
    usage: Usage | None = None


class Model(_Strict):
    id: Literal["medassist"]
    object: Literal["model"]
    created: int
    owned_by: str
    root: str
    parent: str
    quantization: str | None
    engine: Literal["transformers", "llamacpp"]  # what serves the model (medassist.serve.settings)
    gguf: str | None = Field(default=None, description="the GGUF file served (engine llamacpp)")


class ModelList(_Strict):
    object: Literal["list"]
    data: list[Model] = Field(min_length=1, max_length=1)


class ErrorBody(_Strict):
    message: str = Field(min_length=1)
    type: Literal["invalid_request_error", "authentication_error", "rate_limit_error", "server_error"]
    param: str | None
    code: str | None


class ErrorResponse(_Strict):
    """OpenAI's error shape, for every 4xx."""

    error: ErrorBody


def _errors(*statuses: int) -> dict:
    why = {
        400: "a body that is not JSON, nests deeper than "
        f"{MAX_JSON_DEPTH} levels or is over {MAX_BODY_BYTES:,} bytes; a field out of range; an empty, "
        "overlong or malformed question (control characters, lone surrogates); a conversation that "
        "does not fit the context window",
        401: "DEMO_AUTH is set and the API key (Authorization: Bearer user:password) is missing or wrong",
        404: f"a model other than '{MODEL_ID}'",
        429: f"{MAX_WAITING} requests are already waiting; retry shortly",
    }
    ref = {"$ref": "#/components/schemas/ErrorResponse"}
    return {
        str(s): {"description": why[s], "content": {"application/json": {"schema": ref}}} for s in statuses
    }


def openapi_document() -> dict:
    """The OpenAPI 3.1 document of the /v1 routes."""
    models = [
        (ChatRequest, "validation"),
        *((m, "serialization") for m in (ChatCompletion, ChatCompletionChunk, ModelList, ErrorResponse)),
    ]
    _, top = models_json_schema(models, ref_template="#/components/schemas/{model}")
    schemas = top["$defs"]
    # Only one model is served; another name is a 404 (the handler's check, with its own message).
    schemas["ChatRequest"]["properties"]["model"] = {
        "type": "string",
        "enum": [MODEL_ID],
        "description": f"'{MODEL_ID}' (GET /v1/models); another name gets a 404",
    }

    def ref(name: str) -> dict:
        return {"$ref": f"#/components/schemas/{name}"}

    # One server-sent event of a stream (OpenAPI 3.1: a text/event-stream schema describes an event)
    schemas["ChatCompletionEvent"] = {
        "type": "object",
        "required": ["data"],
        "properties": {
            "data": {
                "anyOf": [
                    {"const": "[DONE]", "description": "the end of the stream"},
                    {
                        "type": "string",
                        "contentMediaType": "application/json",
                        "contentSchema": ref("ChatCompletionChunk"),
                    },
                ]
            }
        },
    }

    return {
        "openapi": "3.1.0",
        "info": {
            "title": "medassist",
            "version": "1",
            "description": "OpenAI-compatible chat completions over the medassist fine-tune, behind "
            "its emergency triage (docs/serving.md). Unknown request fields are ignored.",
        },
        "paths": {
            "/v1/chat/completions": {
                "post": {
                    "operationId": "createChatCompletion",
                    "summary": "Answer the last user message of a conversation",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": ref("ChatRequest")}},
                    },
                    "responses": {
                        "200": {
                            "description": "The answer: one JSON object, or with `stream` server-sent "
                            "events, each one's data a ChatCompletionChunk, then `[DONE]`",
                            "content": {
                                "application/json": {"schema": ref("ChatCompletion")},
                                "text/event-stream": {"schema": ref("ChatCompletionEvent")},
                            },
                        },
                        **_errors(400, 401, 404, 429),
                    },
                }
            },
            "/v1/models": {
                "get": {
                    "operationId": "listModels",
                    "summary": "The one model served",
                    "responses": {
                        "200": {
                            "description": "The model",
                            "content": {"application/json": {"schema": ref("ModelList")}},
                        },
                        **_errors(401),
                    },
                }
            },
        },
        "components": {"schemas": schemas},
    }
