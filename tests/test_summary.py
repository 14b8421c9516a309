"""The evaluation table the demo's panel and the export's model card share (medassist.evaluation.summary),
on metric files with exactly the keys the pipeline writes."""

import json

from medassist.evaluation.summary import scores_table, training_line

META = {  # an adapter's medassist.json, as the panel and the card read it
    "base_model": "TinyLlama/TinyLlama-1.1B-Chat-v1.0",
    "quantization": "nf4",
    "lora": {"r": 16, "alpha": 32, "target_modules": ["q_proj", "v_proj"]},
}


def write_metrics(folder):
    """metrics/ as eval_base, eval_finetuned, compare and train write it (a subset of the keys)."""
    finetuned = {
        "n": 300,
        "bleu": 12.34,
        "bleu_ci_low": 10.0,
        "bleu_ci_high": 14.5,
        "rouge1": 40.0,
        "rouge2": 20.0,
        "rougeL": 30.0,
        "eos_rate": 0.97,
        "loop_rate": 0.02,
    }
    base = {
        "bleu": 3.0,
        "rouge1": 20.0,
        "rouge1_ci_low": 18.0,
        "rouge1_ci_high": 22.0,
        "rougeL": 15.0,
        "eos_rate": 0.1,
        "loop_rate": 0.45,
    }
    compare = {
        "rougeL": {
            "base": 15.0,
            "finetuned": 30.0,
            "delta": 15.0,
            "delta_ci_low": 12.5,
            "delta_ci_high": 17.25,
        }
    }
    for name, data in (
        ("eval_finetuned", finetuned),
        ("eval_base", base),
        ("compare", compare),
        ("train", {"train_loss": 1.2345, "eval_loss": 1.5}),
    ):
        (folder / f"{name}.json").write_text(json.dumps(data))


def test_table_reads_the_pipelines_keys(tmp_path):
    assert scores_table(tmp_path) is None and training_line(tmp_path) is None  # before `dvc repro`
    write_metrics(tmp_path)
    table = "\n".join(scores_table(tmp_path))
    assert "Greedy answers to 300 held-out flashcards" in table
    assert "| bleu | 3.0 | 12.3 [10.0, 14.5] | – |" in table
    assert "| rouge1 | 20.0 [18.0, 22.0] | 40.0 | – |" in table
    assert "| rouge2 | – | 20.0 | – |" in table
    assert "| rougeL | 15.0 | 30.0 | +15.0 [+12.5, +17.2] |" in table
    assert "| answers that end (EOS) | 10% | 97% | |" in table
    assert "| answers that loop | 45% | 2% | |" in table
    assert training_line(tmp_path) == "**Training:** train loss 1.234, eval loss 1.500"


def test_unreadable_metrics_read_as_missing(tmp_path):
    write_metrics(tmp_path)
    (tmp_path / "eval_finetuned.json").write_text("{corrupt")
    assert scores_table(tmp_path) is None
