"""Layer 0: kernels every other layer shares (errors, data files, patterns, grouping, resampling, ids, writes)."""
