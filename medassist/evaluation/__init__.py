"""Scoring and comparing models: metrics with bootstrap intervals, per-model scores, base vs fine-tuned, reports."""
