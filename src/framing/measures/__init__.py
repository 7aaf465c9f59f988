"""Layer 3: measures by family (keywords, frames, topics, places, robustness); no plotting, CLI or scale."""
