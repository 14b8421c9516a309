"""The word-by-word English gloss of Spanish, French, German, Portuguese and Italian messages."""

from __future__ import annotations

import re
import time

import pytest

from medassist.serve.triage.glossary import _WORDS, GLOSSED, gloss
from medassist.serve.triage.normalise import normalise


def _gloss(message: str, lang: str) -> str:
    return gloss(normalise(message), lang)


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9']+", text))


@pytest.mark.parametrize(
    ("lang", "message", "expected"),
    [
        ("es", "Mi hijo no puede respirar", {"my", "son", "can't", "breathe"}),
        (
            "es",
            "Mi abuelo tiene la piel muy caliente y seca y está desorientado",
            {"grandfather", "skin", "hot", "dry"},
        ),
        ("es", "Tuve un infarto hace dos años", {"heart", "attack", "two", "years", "ago"}),
        ("es", "mi bebé se está atragantando", {"my", "baby", "choking"}),
        ("fr", "Mon père ne respire plus", {"my", "father", "not", "breathing"}),
        ("fr", "J'ai une douleur dans la poitrine", {"i", "chest", "pain"}),
        ("fr", "Il y a deux ans j'ai fait un AVC", {"two", "years", "ago", "stroke"}),
        ("fr", "Il y a du sang partout", {"there", "is", "blood"}),
        ("de", "Mein Kind atmet nicht", {"my", "child", "not", "breathing"}),
        ("de", "Vor zwei Jahren hatte ich einen Schlaganfall", {"two", "years", "ago", "stroke"}),
        ("de", "Ich habe starke Brustschmerzen", {"i", "have", "severe", "chest", "pain"}),
        ("de", "Meine Oma ist bewusstlos", {"my", "grandma", "unconscious"}),
        ("pt", "Meu filho não está respirando", {"my", "son", "isn't", "breathing"}),
        ("pt", "Tive uma convulsão há dois anos", {"seizure", "two", "years", "ago"}),
        ("pt", "Minha avó está muito confusa", {"my", "grandmother", "very", "confused"}),
        ("it", "Non riesco a respirare", {"i", "can't", "breathe"}),
        ("it", "Ho avuto un infarto due anni fa", {"heart", "attack", "two", "years", "ago"}),
        ("it", "Mia figlia ha bevuto un po' di candeggina", {"my", "daughter", "drank", "bit", "bleach"}),
    ],
)
def test_symptom_sentences_gloss_to_english_words(lang: str, message: str, expected: set[str]) -> None:
    glossed = _gloss(message, lang)
    assert expected <= _words(glossed), glossed


@pytest.mark.parametrize(
    ("lang", "message", "expected"),
    [
        ("es", "No tengo dolor en el pecho", {"don't", "chest", "pain"}),
        ("fr", "Je ne veux plus vivre", {"don't", "want", "to", "live"}),
        ("de", "Ich will nicht mehr leben", {"don't", "want", "to", "live"}),
        ("pt", "Não quero mais viver", {"don't", "want", "to", "live"}),
        ("it", "Non voglio più vivere", {"don't", "want", "to", "live"}),
    ],
)
def test_negation_and_suicidal_statements(lang: str, message: str, expected: set[str]) -> None:
    glossed = _gloss(message, lang)
    assert expected <= _words(glossed), glossed


def test_elisions_are_split_and_glossed() -> None:
    assert _gloss("l'enfant s'étouffe", "fr") == "the child choking"
    assert "the" in _words(_gloss("c'est l'hôpital", "fr"))
    assert _gloss("c'è sangue", "it") == "there is blood"
    assert _words(_gloss("un'emorragia dell'occhio", "it")) >= {"a", "haemorrhage", "of", "the", "eye"}


def test_questions_and_framing_words() -> None:
    assert _gloss("¿Qué es la hipertensión?", "es").startswith("what is")
    assert _gloss("Was ist ein Herzinfarkt?", "de").startswith("what is")
    assert "exam" in _words(_gloss("Question d'examen : patient de 70 ans", "fr"))
    assert "first aid" in _gloss("Vou fazer um curso de primeiros socorros", "pt")
    assert "if" in _words(_gloss("Wenn jemand einen Stromschlag bekommt", "de"))


def test_unknown_words_separators_and_numbers_are_kept() -> None:
    assert _gloss("mi hijo xyzzy", "es") == "my son xyzzy"
    assert _gloss("fiebre. tos, dolor", "es") == "fever | cough | pain"
    assert "38.5" in _gloss("Mon bébé a 38,5 de fièvre", "fr")


@pytest.mark.parametrize("lang", GLOSSED)
def test_english_text_does_not_crash(lang: str) -> None:
    text = normalise("My dad can't breathe and his lips are blue. Call an ambulance!")
    glossed = gloss(text, lang)
    assert glossed and glossed == glossed.lower() and glossed.count("|") == text.count("|")
    assert gloss(text, "en") == text  # a language that is not glossed is returned as it is


@pytest.mark.parametrize("lang", GLOSSED)
def test_dictionary_keys_are_lower_case_ascii_words(lang: str) -> None:
    words = _WORDS[lang]
    assert len(words) >= 500
    for key, value in words.items():
        assert re.fullmatch(r"[a-z0-9'-]+", key), key
        assert value == value.lower() and value.isascii(), (key, value)


def test_gloss_is_fast() -> None:
    text = normalise(
        "mi abuelo estuvo toda la tarde en el campo con el calor, tiene la piel muy caliente y seca"
    )
    start = time.perf_counter()
    for _ in range(200):
        gloss(text, "es")
    assert (time.perf_counter() - start) / 200 < 0.001
