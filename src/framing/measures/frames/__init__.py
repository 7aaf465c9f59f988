"""Frames: codebooks, indicator matching with evidence, salience and tests, validation."""
