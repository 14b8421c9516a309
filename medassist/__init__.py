"""medassist: QLoRA fine-tuning of TinyLlama-1.1B-Chat on medical flashcards, as a DVC project."""


class MedassistError(Exception):
    """A user-facing error: printed as one clear line, never as a traceback."""
