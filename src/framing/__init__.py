"""framing: compare how different kinds of sources frame one subject.

The pipeline: corpus -> units (documents, paragraphs, sentences with offsets)
-> tokens (a recorded, hashable :class:`Preprocessor`) -> document-term matrix
-> measures (tidy pandas tables) -> plots (matplotlib Axes).

>>> import framing as fr
>>> corpus = fr.load_corpus()
>>> m = fr.dtm(corpus, fr.Preprocessor(), unit="paragraph")
"""

from .cache import TokenCache
from .codebook import Codebook, CodebookError, load_codebook
from .collocations import collocations
from .corpus import Corpus, Document, load_corpus
from .dtm import DocumentTermMatrix, dtm, tokens
from .errors import ArgumentError, CorpusError, FramingError, PreprocessorError
from .frames import FrameResult, detect_frames
from .keyness import frequency, keyness, reference_frequencies
from .kwic import Concordance, dispersion, kwic
from .places import orientation, partners, places
from .plots import (
    plot_collocates,
    plot_corpus_overview,
    plot_dispersion,
    plot_frame_cooccurrence,
    plot_frame_salience,
    plot_frame_trend,
    plot_keyness,
    plot_orientation,
    plot_partners,
    plot_robustness,
    plot_search_k,
    plot_topic_prevalence,
    plot_topic_terms,
)
from .preprocess import Preprocessor
from .robustness import RobustnessResult, robustness
from .salience import frame_cooccurrence, frame_differences, frame_distance, frame_salience, frame_tone
from .stream import CorpusScan, scan_corpus
from .topics import (
    TopicModel,
    search_k,
    topic_frames,
    topic_prevalence,
    topic_prevalence_differences,
    topic_stability,
)
from .validation import coding_sheet, cohen_kappa, krippendorff_alpha, reliability, validate

__version__ = "0.1.0"

__all__ = [
    "ArgumentError",
    "Codebook",
    "CodebookError",
    "coding_sheet",
    "cohen_kappa",
    "collocations",
    "Concordance",
    "Corpus",
    "CorpusError",
    "CorpusScan",
    "detect_frames",
    "dispersion",
    "Document",
    "DocumentTermMatrix",
    "dtm",
    "frame_cooccurrence",
    "frame_differences",
    "frame_distance",
    "frame_salience",
    "frame_tone",
    "FrameResult",
    "FramingError",
    "frequency",
    "keyness",
    "krippendorff_alpha",
    "kwic",
    "load_codebook",
    "load_corpus",
    "orientation",
    "partners",
    "places",
    "plot_collocates",
    "plot_corpus_overview",
    "plot_dispersion",
    "plot_frame_cooccurrence",
    "plot_frame_salience",
    "plot_frame_trend",
    "plot_keyness",
    "plot_orientation",
    "plot_partners",
    "plot_robustness",
    "plot_search_k",
    "plot_topic_prevalence",
    "plot_topic_terms",
    "Preprocessor",
    "PreprocessorError",
    "reference_frequencies",
    "reliability",
    "robustness",
    "RobustnessResult",
    "scan_corpus",
    "search_k",
    "TokenCache",
    "tokens",
    "topic_frames",
    "topic_prevalence",
    "topic_prevalence_differences",
    "topic_stability",
    "TopicModel",
    "validate",
    "__version__",
]
