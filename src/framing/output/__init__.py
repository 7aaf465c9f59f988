"""Layer 6: the generic figure machinery (registry, render, manifest); no study content."""
