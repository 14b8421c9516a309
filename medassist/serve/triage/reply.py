"""Step 5 of triage: the replies. Tier 1 is a fixed reply and the model never runs; tier 2 is one line
put before the model's answer; a message in a language the assistant does not read gets a plain
reply naming the emergency number, with one line in that language where we have it."""

from __future__ import annotations

from medassist.serve.triage.match import EmergencyMatch

OTHER_NUMBERS = (
    "Emergency numbers differ by country (for example 112 in the EU, 999 in the UK, 000 in Australia)."
)

# One line in the writer's language, put before the English reply.
CALL_NOW = {
    "es": "Si es una emergencia, llame ahora al {number} o al número de emergencias local.",
    "fr": "S'il s'agit d'une urgence, appelez maintenant le {number} ou le numéro d'urgence local.",
    "de": "Wenn es ein Notfall ist, rufen Sie jetzt die {number} oder Ihre örtliche Notrufnummer an.",
    "pt": "Se for uma emergência, ligue agora para o {number} ou para o número de emergência local.",
    "it": "Se è un'emergenza, chiama subito il {number} o il numero di emergenza locale.",
    "nl": "Als dit een noodgeval is, bel dan nu {number} of uw lokale alarmnummer.",
    "tr": "Bu bir acil durumsa, hemen {number} veya yerel acil durum numaranızı arayın.",
    "pl": "Jeśli to nagły wypadek, zadzwoń teraz pod {number} lub na lokalny numer alarmowy.",
}


def _crisis_line(crisis_line: str | None) -> str:
    crisis = (crisis_line or "").strip()
    if crisis:
        return f"You can call {crisis}, any time, day or night. You can also find a crisis line at https://findahelpline.com."
    return (
        "In the US, you can call or text 988 (988 Suicide & Crisis Lifeline), any time, day "
        "or night. Outside the US, please contact your local crisis line; you can find one at "
        "https://findahelpline.com."
    )


def emergency_reply(
    match: EmergencyMatch, emergency_number: str = "911", crisis_line: str | None = None
) -> str:
    """Fixed reply for a detected emergency (tier 1), self-harm, or an unread language.

    ``emergency_number`` is the local number to call; ``crisis_line`` (e.g. "116 123 (Samaritans)")
    replaces the US 988 Lifeline in the self-harm reply.
    """
    number = str(emergency_number).strip() or "911"
    local = CALL_NOW.get(match.lang, "").format(number=number)
    prefix = f"{local}\n\n" if local else ""
    if match.kind == "language":
        return (
            f"{prefix}I can only read questions in English, so I may not have understood your message.\n\n"
            f"If this is an emergency, call {number} or your local emergency number now. {OTHER_NUMBERS}"
        )
    if match.kind == "self_harm":
        return (
            f"{prefix}I'm really sorry you're going through this. You deserve support, and you don't "
            "have to face it alone.\n\n"
            f"If you are in immediate danger or have hurt yourself, call {number} or your local "
            f"emergency number now. {OTHER_NUMBERS}\n\n"
            f"{_crisis_line(crisis_line)}\n\n"
            "Please reach out to one of them, or to someone you trust, right now. A chatbot "
            "can't give you the help you deserve."
        )
    return (
        f"{prefix}This sounds like it could be a medical emergency. Please call "
        f"{number} or your local emergency number now. {OTHER_NUMBERS}\n\n"
        "Don't wait for a chatbot: I can't assess or treat an emergency. If you can, stay "
        "with the person (or ask someone nearby to help you) and follow the dispatcher's "
        "instructions."
    )


def possible_emergency_line(
    match: EmergencyMatch, emergency_number: str = "911", crisis_line: str | None = None
) -> str:
    """Tier 2: the line put before the model's answer to a message that may describe an emergency."""
    number = str(emergency_number).strip() or "911"
    if match.category == "self_harm":
        return (
            f"**If you are thinking of harming yourself or are in danger now, call {number} "
            f"(or your local emergency number).** {_crisis_line(crisis_line)}"
        )
    return (
        f"**If this is happening now, call {number} (or your local emergency number).** "
        "What follows is general information, not an assessment."
    )
