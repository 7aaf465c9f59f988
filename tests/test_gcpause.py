"""The garbage collector paused for steps that build many objects, and always started again."""

from __future__ import annotations

import gc
import os
import threading

import pytest

import framing as fr
from framing.base.gcpause import paused_gc, without_gc


@pytest.fixture(autouse=True)
def collector_on():
    gc.enable()
    yield
    gc.enable()


def test_paused_inside_and_running_after():
    with paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_nested_pauses_end_with_the_outermost():
    with paused_gc():
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_off_before_stays_off():
    gc.disable()
    with paused_gc():
        pass
    assert not gc.isenabled()


def test_an_error_inside_still_starts_the_collector_again():
    @without_gc
    def failing():
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        failing()
    assert gc.isenabled()


def test_overlapping_threads_start_it_again_only_when_both_are_done():
    inside, release = threading.Event(), threading.Event()

    def worker():
        with paused_gc():
            inside.set()
            release.wait(10)

    t = threading.Thread(target=worker)
    t.start()
    inside.wait(10)
    with paused_gc():
        pass
    assert not gc.isenabled()  # the thread's pause is still open
    release.set()
    t.join(10)
    assert gc.isenabled()


def test_without_gc_keeps_the_function_s_name_and_documentation():
    assert fr.dtm.__name__ == "dtm" and (fr.dtm.__doc__ or "").startswith("Count terms per document")
    assert fr.detect_frames.__wrapped__.__name__ == "detect_frames"


@pytest.mark.parametrize("step", ["tokens", "dtm", "detect_frames"])
def test_the_bulk_steps_run_with_the_collector_paused(monkeypatch, step):
    import framing.text.preprocess as preprocess

    seen: list[bool] = []

    def spying(real):
        def spy(self, *args, **kwargs):
            seen.append(gc.isenabled())
            return real(self, *args, **kwargs)
        return spy

    for name in ("spans_many", "term_columns"):
        monkeypatch.setattr(preprocess.TokenMachine, name, spying(getattr(preprocess.TokenMachine, name)))
    corpus = fr.load_corpus()
    getattr(fr, step)(corpus)
    assert seen and not any(seen)
    assert gc.isenabled()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_process_forked_inside_a_pause_starts_with_the_collector_running():
    """A worker forked while the parent is paused (n_jobs) must not run its whole life without the
    collector: it starts as the parent was before the pause, and its own steps pause it again."""
    read, write = os.pipe()
    with paused_gc():
        pid = os.fork()
        if pid == 0:  # the child
            try:
                states = [gc.isenabled()]
                with paused_gc():
                    states.append(gc.isenabled())
                states.append(gc.isenabled())
                os.write(write, bytes(states))
            finally:
                os._exit(0)
        os.waitpid(pid, 0)
        assert not gc.isenabled()  # the parent's pause goes on
    assert list(os.read(read, 3)) == [1, 0, 1]
    assert gc.isenabled()
