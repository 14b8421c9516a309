"""Cleaning flashcards: normalised text, and rows dropped for a reason the report counts.

Text is NFKC-normalised, HTML entities unescaped and tags stripped, zero-width characters removed
and whitespace collapsed. Rows are dropped for a missing/empty/non-string question or answer,
exact duplicates (after cleaning) and overlong text (or the answer is truncated, by param).
"""

import html
import re
import unicodedata
from collections import Counter

DROP_REASONS = (
    "missing_question",
    "missing_answer",
    "overlong_question",
    "overlong_answer",
    "exact_duplicate",
)

TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)(\s[^<>]*)?/?>")  # a real tag, not "<50 mg"
BLOCK_TAGS = {"br", "p", "div", "li", "ul", "ol", "tr", "td", "th", "table", "h1", "h2", "h3", "h4", "hr"}
ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
WHITESPACE = re.compile(r"\s+")


def clean_text(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    # tags first: "&lt;50 mg" must survive as "<50 mg"
    text = TAG.sub(lambda m: " " if m.group(1).lower() in BLOCK_TAGS else "", text)
    text = html.unescape(text)
    text = ZERO_WIDTH.sub("", text)
    return WHITESPACE.sub(" ", text).strip()


def clean_rows(rows, max_question_words, max_answer_words, overlong):
    """Return (kept rows, drop counts, truncated count)."""
    kept, dropped, truncated, seen = [], Counter(), 0, set()
    for row in rows:
        question, answer = row.get("input"), row.get("output")
        if not isinstance(question, str) or not clean_text(question):
            dropped["missing_question"] += 1
            continue
        if not isinstance(answer, str) or not clean_text(answer):
            dropped["missing_answer"] += 1
            continue
        question, answer = clean_text(question), clean_text(answer)
        if len(question.split()) > max_question_words:
            dropped["overlong_question"] += 1
            continue
        if len(answer.split()) > max_answer_words:
            if overlong == "drop":
                dropped["overlong_answer"] += 1
                continue
            answer = " ".join(answer.split()[:max_answer_words])
            truncated += 1
        if (question, answer) in seen:
            dropped["exact_duplicate"] += 1
            continue
        seen.add((question, answer))
        kept.append({"question": question, "answer": answer})
    return kept, dropped, truncated
