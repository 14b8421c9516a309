"""Getting the flashcards: from the hub or a local file (source), cleaned (clean), split without leakage (split)."""
