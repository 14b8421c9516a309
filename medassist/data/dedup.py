"""Near-duplicate flashcards, grouped: the same fact asked twice never straddles train and eval.

Two rows are duplicates when (thresholds: params.yaml `split`, chosen on planted paraphrases and
planted near-misses, tests/test_dedup.py):

- their questions are equal after lower-casing and removing punctuation (`question_key`); or
- their answers are near-identical: Jaccard similarity of the answers' content words (lower-cased,
  stop words removed) >= answer_same, both answers having at least min_answer_words content words
  (short answers such as "Autosomal dominant." are shared by distinct facts); or
- their answers overlap (content-word Jaccard >= answer_related) and their questions mean the same:
  cosine of the all-MiniLM-L6-v2 question embeddings (medassist.model.embedding) >= question_cosine.
  Neither signal alone is enough: the embedding rates "mechanism of aspirin" and "mechanism of
  metformin" alike (a template), and does not know that Coumadin is warfarin.

Duplicates are joined by union-find into groups. Candidate pairs come from MinHash LSH over the
answers' content words (near-linear: each row is hashed once and meets only the rows that share a
bucket), so no n x n comparison is made; every rule needs answer overlap >= answer_related, which
the LSH finds with probability >= 0.93 (see BANDS). The embedding encodes only the questions of
candidate pairs that need it, and is loaded only then. Everything is seeded: the same rows give
the same groups.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

NOT_WORD = re.compile(r"[\W_]+")
WORD = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")  # "2.5" stays one word: 2.5-3.5 is not 2.0-3.0
# Function words and question scaffolding: they carry no fact, and every flashcard has them.
STOP_WORDS = frozenset(
    """a about after all also an and any are as at be been before being between both but by can
    could did do does doing during each for from had has have how however if in into is it its may
    might more most much must no not of on one only or other over should so such than that the their
    them then there these they this those through to under up very was we were what when where which
    while who whom whose why will with within would you your""".split()
)

# MinHash LSH: 60 bands of 3 rows. A pair with Jaccard J becomes a candidate with probability
# 1 - (1 - J^3)^60: 0.80 at J = 0.3, 0.93 at 0.35, 0.98 at 0.4, 0.9995 at 0.5, 0.0075 at 0.05.
BANDS, ROWS_PER_BAND = 60, 3
PRIME = (1 << 31) - 1  # hashes are (a * x + b) mod PRIME with x < 2^31: no uint64 overflow
BUCKET_WINDOW = 64  # a bucket larger than this pairs each row with its next 64 only (not k^2 pairs)
COMMON_SHARE = 0.05  # words in more than 5% of rows (and 20 rows) do not vote in the LSH


def question_key(question: str) -> str:
    return NOT_WORD.sub("", question.lower())


def content_words(text: str) -> frozenset[str]:
    return frozenset(w for w in WORD.findall(text.lower()) if w not in STOP_WORDS)


def jaccard(a: frozenset, b: frozenset) -> float:
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


@dataclass(frozen=True)
class Thresholds:
    answer_same: float
    answer_related: float
    question_cosine: float
    min_answer_words: int


@dataclass
class Groups:
    """group[i]: the group id of row i (ids in order of first row); counts of pairs by rule."""

    group: list[int]
    pairs: dict[str, int] = field(default_factory=dict)
    encoded: int = 0  # questions the embedding had to encode

    @property
    def n_groups(self) -> int:
        return len(set(self.group))

    def sizes(self) -> Counter:
        return Counter(self.group)


class UnionFind:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:  # path compression
            self.parent[i], i = root, self.parent[i]
        return root

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)  # the smallest index is the root: order-independent


def _word_hash(word: str) -> int:
    return zlib.crc32(word.encode()) % PRIME


def minhash_signatures(sets: list[frozenset[str]], seed: int = 0) -> np.ndarray:
    """(n, BANDS * ROWS_PER_BAND) int64 MinHash signatures; an empty set gets a row-unique one."""
    n, k = len(sets), BANDS * ROWS_PER_BAND
    rng = np.random.default_rng(seed)
    a = rng.integers(1, PRIME, size=(k, 1), dtype=np.int64)
    b = rng.integers(0, PRIME, size=(k, 1), dtype=np.int64)
    lengths = np.array([len(s) for s in sets], dtype=np.int64)
    present = np.flatnonzero(lengths)
    sig = np.empty((n, k), dtype=np.int64)
    # empty sets never collide: PRIME + row index is no hash value
    sig[:] = (PRIME + np.arange(n, dtype=np.int64))[:, None]
    if present.size:
        values = np.fromiter(
            (_word_hash(w) for i in present for w in sorted(sets[i])),
            dtype=np.int64,
            count=int(lengths.sum()),
        )
        starts = np.concatenate(([0], np.cumsum(lengths[present])[:-1]))
        for lo in range(0, k, 8):  # a few permutations at a time: memory stays at 8 x words
            hashed = (a[lo : lo + 8] * values[None, :] + b[lo : lo + 8]) % PRIME
            sig[present, lo : lo + 8] = np.minimum.reduceat(hashed, starts, axis=1).T
    return sig


def lsh_pairs(sets: list[frozenset[str]], seed: int = 0) -> set[tuple[int, int]]:
    """Candidate pairs (i < j) that share at least one LSH bucket."""
    sig = minhash_signatures(sets, seed)
    pairs: set[tuple[int, int]] = set()
    mult = np.array([1, 1_000_003, 998_244_353], dtype=np.int64)[:ROWS_PER_BAND]
    for band in range(BANDS):
        cols = sig[:, band * ROWS_PER_BAND : (band + 1) * ROWS_PER_BAND]
        keys = (cols * mult).sum(axis=1)  # wraps on overflow, deterministically
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        edges = np.flatnonzero(np.diff(sorted_keys)) + 1
        for bucket in np.split(order, edges):
            if len(bucket) < 2:
                continue
            rows = sorted(bucket.tolist())
            # identical bucket keys with different columns are hash collisions: checked later anyway
            for x, i in enumerate(rows):
                for j in rows[x + 1 : x + 1 + BUCKET_WINDOW]:
                    pairs.add((i, j))
    return pairs


def _lsh_sets(sets: list[frozenset[str]]) -> list[frozenset[str]]:
    """The sets without the words that are in many rows (they make every pair a candidate); a set
    of common words only is kept whole (a long answer repeated many times must still meet itself)."""
    df = Counter(w for s in sets for w in s)
    limit = max(COMMON_SHARE * len(sets), 20)
    return [frozenset(w for w in s if df[w] <= limit) or s for s in sets]


def group_rows(
    rows: list[dict],
    thresholds: Thresholds,
    encode: Callable[[list[str]], np.ndarray] | None = None,
    seed: int = 0,
) -> Groups:
    """Group rows ({question, answer}) whose questions or answers say the same thing."""
    n = len(rows)
    uf = UnionFind(n)
    pairs = Counter()
    first = {}
    for i, row in enumerate(rows):
        key = question_key(row["question"])
        if key in first:
            uf.union(first[key], i)
            pairs["question_key"] += 1
        else:
            first[key] = i

    answers = [content_words(r["answer"]) for r in rows]
    candidates = lsh_pairs(_lsh_sets(answers), seed)
    pending = []
    for i, j in sorted(candidates):
        similarity = jaccard(answers[i], answers[j])
        if similarity >= thresholds.answer_same and (
            min(len(answers[i]), len(answers[j])) >= thresholds.min_answer_words
        ):
            uf.union(i, j)
            pairs["answer"] += 1
        elif similarity >= thresholds.answer_related and uf.find(i) != uf.find(j):
            pending.append((i, j))

    encoded = 0
    if pending:
        need = sorted({i for pair in pending for i in pair})
        if encode is None:
            from medassist.model.embedding import get_encoder

            encode = get_encoder().encode
        vectors = encode([rows[i]["question"] for i in need])
        where = {row: k for k, row in enumerate(need)}
        encoded = len(need)
        for i, j in pending:
            if float(vectors[where[i]] @ vectors[where[j]]) >= thresholds.question_cosine:
                uf.union(i, j)
                pairs["question_and_answer"] += 1

    roots = [uf.find(i) for i in range(n)]
    ids: dict[int, int] = {}
    group = [ids.setdefault(root, len(ids)) for root in roots]
    return Groups(
        group=group,
        pairs={k: pairs[k] for k in ("question_key", "answer", "question_and_answer")},
        encoded=encoded,
    )
