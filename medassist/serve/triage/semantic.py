"""Step 4 of triage: the layer that generalises, for messages no rule was written for.

A logistic regression (benign / emergency / self-harm, class-balanced weights) over three views of
the text both layers read (normalised, the negated, past and hypothetical parts dropped):

* a sentence vector from a static table distilled from all-MiniLM-L6-v2
  (medassist.model.static_embedding): topic and register, lay words close to clinical ones;
* TF-IDF word uni- and bigrams: phrasings ("won't wake", "less kicks");
* TF-IDF character 3-5-grams within words: typos, inflections and compounds ("breathin", "unconsious").

It learns from the development set (medassist/serve/safety_eval.jsonl: English rows, and the glossed
languages' rows as glossed) at first use, once per process (a few seconds). It reads a message only
when it is framed as being about a real person now, so the rules' framing gates hold for it too; a hit
is a *possible* emergency (tier 2: the model answers after a "call now" line), never the fixed
emergency reply.

Chosen by grouped cross-validation (benchmarks/triage_cv.py, docs/safety.md): the three views
together beat the sentence vectors alone by 2-4 points of recall at the same false alarms, both
across authors (train on one writer's messages, test on another's) and in 5-fold CV.

    layer = get_layer()                 # learned once per process
    layer.score(text)                   # (probability it is urgent, "emergency" or "self_harm")
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import numpy as np

from medassist.serve.triage.glossary import GLOSSED, gloss
from medassist.serve.triage.normalise import drop_cues, normalise

DATA = Path(__file__).resolve().parent.parent / "safety_eval.jsonl"
CLASSES = ("benign", "emergency", "self_harm")
# P(not benign) for tier 2, chosen by grouped cross-validation (benchmarks/triage_cv.py): the lowest
# threshold whose tier-2 false alarms stay under 3% pooled and under 5% on every writer left out (round
# 8, seven writers: 0.7 -> 2.2% pooled, 4.7% at worst; 0.65 -> 5.3% on writer A).
THRESHOLD = 0.7
C = 4.0  # inverse regularisation strength of the regression
VECTOR_WEIGHT = 0.1  # the standardised sentence vector's scale next to the unit-length TF-IDF rows
# A tier-1 rule hit the framing model gives P(urgent) below this is demoted to tier 2 (Framing).
DEMOTE = 0.2


def reading(message: str) -> str:
    """The text both layers read: normalised, negated/past/hypothetical parts dropped."""
    return cue_stripped(normalise(message))


def cue_stripped(text: str) -> str:
    """Normalised text less its negated, past and hypothetical parts, as the semantic layer reads it."""
    return drop_cues(text, hypothetical=True).replace(" | ", ", ")


def english(row: dict) -> str | None:
    """A labelled row's whole text as the rules read it (normalised English, or the gloss), else None."""
    lang = row.get("lang", "en")
    if lang == "en":
        return normalise(row["message"])
    return normalise(gloss(normalise(row["message"]), lang)) if lang in GLOSSED else None


def rows(path: Path = DATA) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def read_rows(labelled_rows: list[dict]) -> tuple[list[str], list[str]]:
    """(English text, label) of every labelled row the triage reads (English, or a glossed language)."""
    read = [(text, row["label"]) for row in labelled_rows if (text := english(row)) is not None]
    return [text for text, _ in read], [label for _, label in read]


def layer_inputs(texts: list[str], labels: list[str]) -> tuple[list[str], np.ndarray]:
    """The semantic layer's training data: the cue-stripped texts, the class of each."""
    return [cue_stripped(text) for text in texts], np.array([CLASSES.index(label) for label in labels])


def framing_inputs(texts: list[str], labels: list[str]) -> tuple[list[str], np.ndarray]:
    """The framing model's training data: the whole texts, urgent (not benign) or not."""
    return texts, np.array([label != "benign" for label in labels])


def _views(texts: list[str], word_min_df: int):
    """The word uni-/bigram and character 3-5-gram TF-IDF vectorisers both models use, fitted."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=word_min_df).fit(texts)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2).fit(texts)
    return words, chars


class Framing:
    """A second opinion on a rule's tier-1 hit: is the whole message (negations, past and hypothetical
    parts kept: they are the framing) a report of an emergency, or a question, a story, a course, a
    history that uses the same words? Word and character TF-IDF, class-balanced logistic regression,
    urgent (emergency or self-harm) against benign, learned from the same development set.

    Chosen by cross-validation over six writers (benchmarks/triage_cv.py, docs/safety.md): a tier-1
    hit it gives P(urgent) < DEMOTE is demoted to tier 2; at 0.2 it demoted 5 of 1005 true tier-1
    emergencies of a writer it had not learned from."""

    def __init__(self, texts: list[str], urgent: np.ndarray, c: float = C):
        from scipy import sparse
        from sklearn.linear_model import LogisticRegression

        self.words, self.chars = _views(texts, word_min_df=2)
        model = LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
        model.fit(sparse.hstack([self.words.transform(texts), self.chars.transform(texts)]).tocsr(), urgent)
        split = len(self.words.vocabulary_)
        self.w_words, self.w_chars = model.coef_[0, :split], model.coef_[0, split:]
        self.bias = float(model.intercept_[0])

    def urgent(self, text: str) -> float:
        """P(the message reports an emergency) for its whole normalised English text."""
        z = (self.words.transform([text]) @ self.w_words + self.chars.transform([text]) @ self.w_chars)[0]
        return float(1.0 / (1.0 + np.exp(-(z + self.bias))))


class Layer:
    """Sentence vector + word and character TF-IDF -> class-balanced logistic regression."""

    def __init__(self, encoder, texts: list[str], labels: np.ndarray, c: float = C):
        from sklearn.linear_model import LogisticRegression

        self.encoder = encoder
        vectors = encoder.encode(texts).astype(np.float64)
        self.mean, self.scale = vectors.mean(0), vectors.std(0) + 1e-6
        self.words, self.chars = _views(texts, word_min_df=1)
        model = LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
        model.fit(self._features(texts, vectors), labels)
        # The fitted weights, split per view: scoring one message is three small products and a
        # softmax, without sklearn's per-call checks and a sparse stack (1.4 ms -> 0.3 ms).
        dims = np.cumsum([vectors.shape[1], len(self.words.vocabulary_)])
        weights = model.coef_.T
        self.w_vector, self.w_words, self.w_chars = (
            weights[: dims[0]],
            weights[dims[0] : dims[1]],
            weights[dims[1] :],
        )
        self.bias = model.intercept_

    def _features(self, texts: list[str], vectors: np.ndarray | None = None):
        from scipy import sparse

        if vectors is None:
            vectors = self.encoder.encode(texts).astype(np.float64)
        dense = (vectors - self.mean) / self.scale * VECTOR_WEIGHT
        return sparse.hstack(
            [sparse.csr_matrix(dense), self.words.transform(texts), self.chars.transform(texts)]
        ).tocsr()

    def probabilities(self, texts: list[str]) -> np.ndarray:
        dense = (self.encoder.encode(texts).astype(np.float64) - self.mean) / self.scale * VECTOR_WEIGHT
        z = (
            dense @ self.w_vector
            + self.words.transform(texts) @ self.w_words
            + self.chars.transform(texts) @ self.w_chars
            + self.bias
        )
        z = np.exp(z - z.max(-1, keepdims=True))
        return z / z.sum(-1, keepdims=True)

    def score(self, text: str) -> tuple[float, str]:
        p = self.probabilities([text])[0]
        return float(1.0 - p[0]), CLASSES[1 + int(p[2] > p[1])]


@functools.cache
def _development() -> tuple[list[str], list[str]]:
    """The development set as both models learn from it: read and glossed once per process."""
    return read_rows(rows())


@functools.cache
def get_framing() -> Framing:
    """The process's one framing model (fitted once)."""
    return Framing(*framing_inputs(*_development()))


@functools.cache
def get_layer() -> Layer:
    """The process's one semantic layer (the static table loaded, the regression fitted, once)."""
    from medassist.model.static_embedding import get_static

    return Layer(get_static(), *layer_inputs(*_development()))
