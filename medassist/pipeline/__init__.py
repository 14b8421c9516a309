"""Running the pipeline: param profiles (profile) and the reference experiments (experiments)."""
