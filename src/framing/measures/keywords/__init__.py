"""Keywords: frequency and keyness, collocations, concordances and dispersion."""
