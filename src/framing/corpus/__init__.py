"""Layer 1: the immutable Corpus, its readers, cleaning, metadata checks and units."""
