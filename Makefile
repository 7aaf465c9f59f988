# Two commands do everything on a fresh machine:
#   make figures   set up .venv if needed, then regenerate every paper figure
#   make test      set up .venv if needed, then run the whole test suite
# Set-up runs again only when pyproject.toml or the constraints change.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.framing-installed

.PHONY: setup figures test bench bench-peer clean

setup: $(STAMP)

$(STAMP): pyproject.toml requirements/constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements/constraints.txt -e ".[dev]"
	@touch $(STAMP)

figures: $(STAMP)
	$(PY) -m framing figures --study study.figures --format png,pdf

test: $(STAMP)
	$(PY) -m pytest

# Every benchmark rewrites its section of bench/README.md and its line(s) of the one
# table bench/RESULTS.md (kept as bench/results/*.json).
# bench_keyness.py compares with scattertext, which runs in its own environment
# bench/.venv-peer (it needs scipy<1.14); the script builds that environment
# from bench/requirements-peer.txt when it is missing or out of date.
bench: $(STAMP)
	$(PY) bench/bench_dtm.py --write
	$(PY) bench/bench_keyness.py --write
	$(PY) bench/bench_frames.py --write
	$(PY) bench/bench_topics.py --write
	$(PY) bench/bench_scale.py --write
	$(PY) bench/bench_large.py --write
	$(PY) bench/bench_large.py --mb 650 --steps dtm --section huge --write
	$(PY) bench/bench_sentences.py --write
	$(PY) bench/bench_commands.py --write

bench-peer: $(STAMP)
	$(PY) bench/bench_keyness.py --setup-peer

clean:
	rm -rf $(VENV) .pytest_cache
