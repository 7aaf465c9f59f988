"""framing: compare how different kinds of sources frame one subject.

The pipeline: corpus -> units (documents, paragraphs, sentences with offsets)
-> tokens (a recorded, hashable :class:`Preprocessor`) -> document-term matrix
-> measures (tidy pandas tables) -> plots (matplotlib Axes).

>>> import framing as fr
>>> corpus = fr.load_corpus()
>>> m = fr.dtm(corpus, fr.Preprocessor(), unit="paragraph")
"""

from framing.base.errors import ArgumentError, CodebookError, CorpusError, FramingError, PreprocessorError
from framing.base.version import VERSION
from framing.corpus.model import Corpus, Document
from framing.corpus.partitioned import PartitionedCorpus
from framing.corpus.formats import Extracted, SkippedFilesWarning, extract_document
from framing.corpus.readers import load_corpus
from framing.measures.frames.codebook import Codebook, load_codebook
from framing.measures.frames.matching import FrameResult, Subject, describe_text, detect_frames, frame_preprocessor
from framing.measures.frames.salience import (
    frame_cooccurrence,
    frame_differences,
    frame_distance,
    frame_salience,
    frame_tone,
    stance_composition,
    document_salience,
)
from framing.measures.frames.classifier import FrameClassifier, check_coded, cross_validate_frames
from framing.measures.frames.prevalence import adjusted_count, corrected_salience
from framing.measures.frames.suggest import suggest_indicators
from framing.measures.frames.validation import (
    coding_sheet,
    cohen_kappa,
    consensus,
    krippendorff_alpha,
    reliability,
    validate,
    validate_stance,
)
from framing.measures.keywords.collocations import collocations
from framing.measures.keywords.keyness import frequency, keyness, keyness_scores, reference_frequencies
from framing.measures.keywords.kwic import Concordance, dispersion, kwic
from framing.measures.places import document_orientation, orientation, partners, places
from framing.measures.robustness import RobustnessResult, robustness
from framing.measures.scaling import WordfishResult, WordscoresResult, wordfish, wordscores
from framing.measures.similarity import distance, similarity
from framing.measures.textstats import lexical_diversity, readability
from framing.measures.trends import bin_dates, frame_trend, term_trend, topic_trend
from framing.measures.topics import (
    TopicModel,
    document_prevalence,
    search_k,
    topic_frames,
    topic_prevalence,
    topic_prevalence_differences,
    topic_stability,
)
from framing.output.explore import explore, explore_html
from framing.output.exports import to_pyldavis, to_quanteda, to_tables
from framing.scale.dask import DaskCorpus
from framing.scale.stream import CorpusScan, scan_corpus
from framing.text.cache import TokenCache
from framing.text.dtm import DocumentTermMatrix, dtm
from framing.text.preprocess import Preprocessor
from framing.text.summary import summary
from framing.text.tokens import Tokens, tokens
from framing.viz.plots import (
    plot_collocates,
    plot_corpus_overview,
    plot_dispersion,
    plot_frame_cooccurrence,
    plot_frame_salience,
    plot_stance_composition,
    plot_corrected_salience,
    plot_frame_trend,
    plot_keyness,
    plot_orientation,
    plot_partners,
    plot_robustness,
    plot_search_k,
    plot_topic_prevalence,
    plot_topic_terms,
    plot_term_trend,
    plot_topic_trend,
)
from framing.viz.style import GroupColors, group_colors

__version__ = VERSION

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
    "DaskCorpus",
    "detect_frames",
    "stance_composition",
    "document_salience",
    "FrameClassifier",
    "cross_validate_frames",
    "check_coded",
    "corrected_salience",
    "adjusted_count",
    "suggest_indicators",
    "describe_text",
    "Subject",
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
    "frame_preprocessor",
    "FramingError",
    "frequency",
    "keyness",
    "krippendorff_alpha",
    "kwic",
    "load_codebook",
    "load_corpus",
    "orientation",
    "partners",
    "PartitionedCorpus",
    "places",
    "plot_collocates",
    "plot_corpus_overview",
    "plot_dispersion",
    "plot_frame_cooccurrence",
    "plot_frame_salience",
    "plot_stance_composition",
    "plot_corrected_salience",
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
    "consensus",
    "validate_stance",
    "robustness",
    "RobustnessResult",
    "scan_corpus",
    "search_k",
    "summary",
    "TokenCache",
    "tokens",
    "Tokens",
    "topic_frames",
    "topic_prevalence",
    "topic_prevalence_differences",
    "document_prevalence",
    "document_orientation",
    "topic_stability",
    "TopicModel",
    "validate",
    "__version__",
]
