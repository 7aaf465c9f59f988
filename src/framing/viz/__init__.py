"""Layer 5: plots (tables in, Axes out) and the paper style."""
