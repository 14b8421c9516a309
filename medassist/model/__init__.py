"""The model: loading (4-bit base, GGUF files, adapters), the chat format, training recipe, attention and generation."""
