"""``python -m study``: regenerate every figure of the study (same as ``framing figures``)."""

import sys

from framing.cli import main

if __name__ == "__main__":
    sys.exit(main(["figures", "--study", "study.figures", *sys.argv[1:]]))
