"""The Hong Kong study: its settings, its shared results and its paper figures.

This package sits outside the library on purpose: ``framing`` knows nothing
of Hong Kong; this study is one use of it. ``settings.yaml`` holds every
choice (subject, role frames and terms, topic model, seeds); :class:`Study`
holds the corpus and computes each shared result once (the tokens of each
preprocessor, the frames, the topic model, the place mentions), so a figure
run tokenizes the corpus once per preprocessor. ``python -m study`` (or
``make figures``) renders every figure.
"""

from __future__ import annotations

from study.context import Settings, Study, load_settings

__all__ = ["Settings", "Study", "load_settings"]
