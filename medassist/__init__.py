"""medassist: QLoRA fine-tuning of a small chat model on medical flashcards, as a DVC project.

The library is cut by job; the stage scripts in stages/ read top to bottom and call into it.

    core/        paths and names (paths.py), params, atomic file I/O, the CLI wrapper, MedassistError
    data/        fetch stage's source, the clean rules, the leakage-free split
    model/       loading (4-bit base, GGUF, adapters), chat format, training recipe, generation
    evaluation/  metrics with bootstrap intervals, scoring, base vs fine-tuned, the report
    serve/       the demo (python -m medassist.serve), its chat service, safety layer and /v1 API
    share/       the adapter to/from the DVC remote, the merged export
    pipeline/    param profiles and the reference experiments
    gpu/         the CUDA machine: setup's torch build, `make doctor`, Triton's toolchain

This file holds no code, so it is in no stage's deps (tests/test_pipeline_deps.py).
"""
