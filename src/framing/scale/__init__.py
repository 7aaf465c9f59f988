"""Layer 4: corpora read in partitions (tables in chunks, Dask DataFrames), combined exactly."""
