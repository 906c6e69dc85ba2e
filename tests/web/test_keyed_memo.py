"""The explorer's per-process memo: one build per key, even when threads ask for it at once."""

from __future__ import annotations

import threading
import time

import pytest

from civicmeter.web.explorer.memo import KeyedMemo


def test_threads_asking_at_once_share_one_build():
    memo, calls = KeyedMemo(size=4), []

    def build():
        calls.append(1)
        time.sleep(0.05)  # long enough for every thread to arrive while it runs
        return "built"

    results = []
    threads = [
        threading.Thread(target=lambda: results.append(memo.get_or_build(("k",), build))) for _ in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["built"] * 6
    assert len(calls) == 1


def test_a_failed_build_is_tried_again_and_old_keys_age_out():
    memo = KeyedMemo(size=2)

    def fail():
        raise RuntimeError("no database")

    with pytest.raises(RuntimeError):
        memo.get_or_build(("a",), fail)
    assert memo.get_or_build(("a",), lambda: 1) == 1
    memo.get_or_build(("b",), lambda: 2)
    memo.get_or_build(("c",), lambda: 3)
    assert memo.get_or_build(("a",), lambda: "rebuilt") == "rebuilt"
