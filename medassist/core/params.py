"""The one typed loader for params.yaml.

Every stage calls :func:`load_params` before it does any work. Unknown keys, wrong types and
out-of-range values are rejected with a message naming the key and the bad value; numbers written
as ``2e-4`` (which YAML 1.1 and ``dvc exp run -S`` may hand over as strings) are read as numbers.
"""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from medassist.core import MedassistError
from medassist.core.paths import PARAMS


class ParamsError(MedassistError):
    pass


def _check(predicate, description):
    return {"check": (predicate, description)}


POSITIVE = _check(lambda v: v > 0, "must be > 0")
NON_NEGATIVE = _check(lambda v: v >= 0, "must be >= 0")


def _one_of(*choices):
    return _check(lambda v: v in choices, f"must be one of {', '.join(choices)}")


@dataclass(frozen=True)
class DataParams:
    source: str = field(metadata=_check(bool, "must not be empty"))
    revision: str = field(metadata=_check(bool, "must not be empty"))
    n_samples: int = field(metadata=_check(lambda v: v >= 0, "must be >= 0 (0 = all rows)"))
    eval_fraction: float = field(metadata=_check(lambda v: 0 < v < 1, "must be in (0, 1)"))
    dev_fraction: float = field(metadata=_check(lambda v: 0 <= v < 0.5, "must be in [0, 0.5)"))
    seed: int = field(metadata=NON_NEGATIVE)


UNIT = _check(lambda v: 0 < v <= 1, "must be in (0, 1]")


@dataclass(frozen=True)
class SplitParams:
    """Near-duplicate grouping (medassist.data.dedup) and the leakage measure (medassist.data.leakage)."""

    answer_same: float = field(metadata=UNIT)
    answer_related: float = field(metadata=UNIT)
    question_cosine: float = field(metadata=UNIT)
    min_answer_words: int = field(metadata=POSITIVE)
    leakage_threshold: float = field(metadata=UNIT)
    leakage_warn: float = field(metadata=_check(lambda v: 0 <= v <= 1, "must be in [0, 1]"))

    def __post_init__(self):
        if self.answer_related > self.answer_same:
            raise ParamsError(
                f"split.answer_related: must be <= split.answer_same ({self.answer_same}), "
                f"got {self.answer_related!r}"
            )


@dataclass(frozen=True)
class CleanParams:
    max_question_words: int = field(metadata=POSITIVE)
    max_answer_words: int = field(metadata=POSITIVE)
    overlong: str = field(metadata=_one_of("drop", "truncate"))


@dataclass(frozen=True)
class ModelParams:
    base: str = field(metadata=_check(bool, "must not be empty"))
    quantization: str = field(metadata=_one_of("nf4", "none"))
    max_length: int = field(metadata=_check(lambda v: v >= 16, "must be >= 16"))


@dataclass(frozen=True)
class LoraParams:
    r: int = field(metadata=POSITIVE)
    alpha: int = field(metadata=POSITIVE)
    dropout: float = field(metadata=_check(lambda v: 0 <= v < 1, "must be in [0, 1)"))
    target_modules: list[str] = field(metadata=_check(bool, "must list at least one module"))


@dataclass(frozen=True)
class TrainParams:
    learning_rate: float = field(metadata=_check(lambda v: 0 < v < 1, "must be in (0, 1)"))
    batch_size: int = field(metadata=POSITIVE)
    epochs: float = field(metadata=POSITIVE)
    grad_accum: int = field(metadata=POSITIVE)
    warmup_steps: int = field(metadata=NON_NEGATIVE)
    scheduler: str = field(
        metadata=_one_of("cosine", "linear", "constant", "constant_with_warmup", "cosine_with_restarts")
    )
    max_grad_norm: float = field(metadata=POSITIVE)
    optimizer: str = field(
        metadata=_one_of("paged_adamw_8bit", "adamw_8bit", "paged_adamw_32bit", "adamw_torch")
    )
    weight_decay: float = field(metadata=NON_NEGATIVE)
    gradient_checkpointing: bool
    neftune_alpha: float = field(metadata=NON_NEGATIVE)
    logging_steps: int = field(metadata=POSITIVE)
    save_steps: int = field(metadata=POSITIVE)
    seed: int = field(metadata=NON_NEGATIVE)


@dataclass(frozen=True)
class EvalParams:
    batch_size: int = field(metadata=POSITIVE)
    max_new_tokens: int = field(metadata=POSITIVE)
    n_boot: int = field(metadata=_check(lambda v: v >= 100, "must be >= 100"))
    seed: int = field(metadata=NON_NEGATIVE)
    report_samples: int = field(metadata=NON_NEGATIVE)
    questions: list[str]


@dataclass(frozen=True)
class DecodingParams:
    """Anti-repetition settings for every answer the model gives (medassist.model.generation.Decoding)."""

    repetition_penalty: float = field(
        metadata=_check(lambda v: 1.0 <= v <= 2.0, "must be in [1.0, 2.0] (1.0 = off)")
    )
    no_repeat_ngram_size: int = field(metadata=_check(lambda v: v == 0 or v >= 2, "must be 0 (off) or >= 2"))


@dataclass(frozen=True)
class Params:
    data: DataParams
    clean: CleanParams
    split: SplitParams
    model: ModelParams
    lora: LoraParams
    train: TrainParams
    eval: EvalParams
    decoding: DecodingParams

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def _convert(key: str, value: Any, typ: Any) -> Any:
    """Coerce a YAML value to the declared type, or raise naming the key and value."""

    def bad(expected: str) -> ParamsError:
        return ParamsError(f"{key}: expected {expected}, got {value!r}")

    if typ is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise bad("true or false")
    if typ in (int, float):
        if isinstance(value, bool):
            raise bad("a number")
        if isinstance(value, str):
            try:
                value_num = float(value.strip())
            except ValueError:
                raise bad("a number") from None
        elif isinstance(value, (int, float)):
            value_num = value
        else:
            raise bad("a number")
        if typ is int:
            if float(value_num) != int(value_num):
                raise bad("an integer")
            return int(value_num)
        return float(value_num)
    if typ is str:
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return str(value)
        raise bad("a string")
    if typ == list[str]:
        if isinstance(value, str):  # `-S lora.target_modules=q_proj` style
            value = [value]
        if isinstance(value, list) and all(isinstance(v, str) and v for v in value):
            return list(value)
        what = "module names" if key.endswith("target_modules") else "non-empty strings"
        raise bad(f"a list of {what}")
    raise AssertionError(f"unsupported type {typ}")


def _unknown(key: str, valid: list[str]) -> ParamsError:
    hint = difflib.get_close_matches(key.rsplit(".", 1)[-1], valid, n=1)
    did_you_mean = f" (did you mean '{hint[0]}'?)" if hint else ""
    prefix = key.rsplit(".", 1)[0] + "." if "." in key else ""
    return ParamsError(
        f"unknown parameter '{key}'{did_you_mean}; valid keys: " + ", ".join(prefix + v for v in valid)
    )


def _build(cls, raw: Any, prefix: str):
    if not isinstance(raw, dict):
        raise ParamsError(f"{prefix or 'params'}: expected a mapping, got {raw!r}")
    declared = {f.name: f for f in fields(cls)}
    for key in raw:
        if key not in declared:
            raise _unknown(f"{prefix}.{key}" if prefix else str(key), list(declared))
    values = {}
    for name, f in declared.items():
        key = f"{prefix}.{name}" if prefix else name
        if name not in raw:
            raise ParamsError(f"missing parameter '{key}'")
        if dataclasses.is_dataclass(f.type):
            values[name] = _build(f.type, raw[name], key)
            continue
        value = _convert(key, raw[name], f.type)
        if "check" in f.metadata:
            predicate, description = f.metadata["check"]
            if not predicate(value):
                raise ParamsError(f"{key}: {description}, got {raw[name]!r}")
        values[name] = value
    return cls(**values)


# Resolve the string annotations (from __future__) once, so _build sees real types.
for _cls in (
    DataParams,
    CleanParams,
    SplitParams,
    ModelParams,
    LoraParams,
    TrainParams,
    EvalParams,
    DecodingParams,
    Params,
):
    _hints = __import__("typing").get_type_hints(_cls)
    for _f in fields(_cls):
        _f.type = _hints[_f.name]


def parse_params(raw: Any) -> Params:
    return _build(Params, raw, "")


def load_params(path: str | Path = PARAMS) -> Params:
    path = Path(path)
    if not path.exists():
        raise ParamsError(f"{path} not found: run from the project root")
    try:
        raw = yaml.safe_load(path.read_text())
    except yaml.YAMLError as exc:
        raise ParamsError(f"{path} is not valid YAML: {exc}") from None
    try:
        return parse_params(raw)
    except ParamsError as exc:
        raise ParamsError(f"{path}: {exc}") from None


def merge(base: dict, override: dict) -> dict:
    """Deep-merge a partial params tree (a profile) over a full one."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out
