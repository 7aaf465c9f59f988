"""framing: compare how different kinds of sources frame one subject.

The pipeline: corpus -> units (documents, paragraphs, sentences with offsets)
-> tokens (a recorded, hashable :class:`Preprocessor`) -> document-term matrix
-> measures (tidy pandas tables) -> plots (matplotlib Axes).

>>> import framing as fr
>>> corpus = fr.load_corpus()
>>> m = fr.dtm(corpus, fr.Preprocessor(), unit="paragraph")
"""

from .collocations import collocations
from .corpus import Corpus, Document, load_corpus
from .dtm import DocumentTermMatrix, dtm, tokens
from .errors import ArgumentError, CorpusError, FramingError, PreprocessorError
from .keyness import frequency, keyness, reference_frequencies
from .kwic import Concordance, dispersion, kwic
from .plots import plot_collocates, plot_corpus_overview, plot_dispersion, plot_keyness
from .preprocess import Preprocessor

__version__ = "0.1.0"

__all__ = [
    "ArgumentError",
    "Corpus",
    "Concordance",
    "CorpusError",
    "Document",
    "DocumentTermMatrix",
    "FramingError",
    "Preprocessor",
    "collocations",
    "PreprocessorError",
    "dispersion",
    "dtm",
    "frequency",
    "keyness",
    "kwic",
    "load_corpus",
    "plot_collocates",
    "plot_corpus_overview",
    "plot_dispersion",
    "plot_keyness",
    "reference_frequencies",
    "tokens",
    "__version__",
]
