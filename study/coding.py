"""Rebuild ``corpus/coding/consensus.csv`` from the three coding sheets.

``python -m study.coding`` reads ``corpus/coding/coder_{A,B,C}.csv``, takes the
majority code per paragraph (:func:`framing.consensus`) and assigns each
paragraph to the development or held-out half: within each document,
paragraphs ordered by the SHA-256 of their id alternate between the halves,
so both halves hold every document and the split depends on nothing but the
ids. The file it writes is committed; this module says how it was made.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

import framing as fr
from framing.base.io import atomic_write, csv_bytes

CODING = Path(__file__).resolve().parent.parent / "corpus" / "coding"
FRAMES = ["super_connector", "global_south_pivot", "western_tensions"]


def build(folder: Path = CODING) -> pd.DataFrame:
    sheets = [folder / f"coder_{k}.csv" for k in "ABC"]
    table = fr.consensus([pd.read_csv(s, keep_default_na=False) for s in sheets], [*FRAMES, "subject"])
    table["doc_id"] = table["unit_id"].str.rsplit("/", n=1).str[0]
    digest = table["unit_id"].map(lambda u: hashlib.sha256(u.encode()).hexdigest())
    rank = digest.groupby(table["doc_id"]).rank(method="first").astype(int)
    table["split"] = ["development" if r % 2 else "held_out" for r in rank]
    cols = ["unit_id", "doc_id", "split", "subject"]
    cols += [c for f in FRAMES for c in (f, f"{f}_stance")] + ["western_tensions_side"]
    cols += [f"{f}_agreement" for f in FRAMES]
    return table[cols]


if __name__ == "__main__":
    out = build()
    atomic_write(CODING / "consensus.csv", csv_bytes(out))
    print(f"{CODING / 'consensus.csv'}: {len(out)} paragraphs, {out['split'].value_counts().to_dict()}")
