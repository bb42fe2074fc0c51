"""The cyclic collector held off during bulk jobs (core.memory): back as it was, and only
when the last job holding it off ends."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from confianza.core.memory import collector_held_off


@pytest.fixture(autouse=True)
def collector_restored() -> Iterator[None]:
    was = gc.isenabled()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


def test_the_collector_is_off_inside_and_back_after() -> None:
    gc.enable()
    with collector_held_off():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_nested_holds_end_with_the_outer_one() -> None:
    gc.enable()
    with collector_held_off():
        with collector_held_off():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer job is still running
    assert gc.isenabled()


def test_a_collector_already_off_stays_off() -> None:
    gc.disable()
    with collector_held_off():
        pass
    assert not gc.isenabled()


def test_an_exception_still_brings_it_back() -> None:
    gc.enable()
    with pytest.raises(RuntimeError), collector_held_off():
        raise RuntimeError("the job failed")
    assert gc.isenabled()


def test_jobs_on_two_threads_share_the_hold() -> None:
    gc.enable()
    first_in, second_done = threading.Event(), threading.Event()
    seen: list[bool] = []

    def first() -> None:
        with collector_held_off():
            first_in.set()
            second_done.wait(5)
            seen.append(gc.isenabled())  # the second ended first: still off for this one

    thread = threading.Thread(target=first)
    thread.start()
    first_in.wait(5)
    with collector_held_off():
        pass
    second_done.set()
    thread.join(5)
    assert seen == [False]
    assert gc.isenabled()
