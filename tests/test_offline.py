"""Nothing downloads: the pipeline runs with the network blocked."""

from __future__ import annotations

import subprocess
import sys
import textwrap

BLOCK = """
import socket

class NetworkBlocked(RuntimeError):
    pass

def refuse(*args, **kwargs):
    raise NetworkBlocked(f"network access attempted: {args[:2]}")

socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
"""


def run(code: str) -> subprocess.CompletedProcess[str]:
    script = BLOCK + textwrap.dedent(code)
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)


def test_offline_block_really_blocks():
    res = run("import urllib.request\nurllib.request.urlopen('http://example.org', timeout=5)\n")
    assert res.returncode != 0 and "NetworkBlocked" in res.stderr


def test_offline_corpus_to_document_term_matrix_runs_without_network():
    res = run(
        """
        import framing as fr
        corpus = fr.load_corpus()
        for pre in (fr.Preprocessor(), fr.Preprocessor(normalize="stem"),
                    fr.Preprocessor(learn_phrases=True, phrase_min_count=2)):
            for unit in ("document", "paragraph", "sentence"):
                m = fr.dtm(corpus, pre, unit=unit)
                assert m.matrix.sum() > 0
            m.group("source_type").trim(min_count=2).tfidf()
            m.to_gensim()
        print(corpus.summary(by="source_type").to_string())
        print("OK")
        """
    )
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip().endswith("OK")


def test_offline_import_does_not_load_nltk_or_gensim():
    res = run("import sys, framing\nprint(sorted(m for m in ('nltk', 'gensim', 'matplotlib', 'sklearn', 'scipy.stats', "
              "'scipy.optimize', 'scipy.spatial') if m in sys.modules))\n")
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "[]"


def test_offline_tokenizing_with_the_defaults_does_not_load_scikit_learn():
    # the default stopword list is framing's copy of scikit-learn's: tokenizing does not import it
    res = run("import sys, framing as fr\nc = fr.load_corpus()\nm = fr.dtm(c, fr.Preprocessor())\n"
              "assert m.matrix.sum() > 1000\nprint(sorted(m for m in ('sklearn', 'scipy.stats') if m in sys.modules))\n")
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "[]"
