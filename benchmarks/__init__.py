"""Speed measurements (not tests): the notebook recipe this project replaces against ours.

    python -m benchmarks.run [--size default,smollm2|tinyllama|tiny] [--reps N] [--out metrics/bench.json]

run.py builds one random-init Llama per size (real models' shapes) and one set of flashcard
examples, then runs every measurement in a fresh subprocess (train_bench.py, generate_bench.py)
so that peak memory and warm-up are comparable, and reports medians over the repetitions.
"""
