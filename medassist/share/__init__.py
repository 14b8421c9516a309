"""Sharing results: the trained adapter to and from the DVC remote (remote), merged into one model (export)."""
