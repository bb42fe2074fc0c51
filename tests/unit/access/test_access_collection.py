"""The collector is held off for a run and put back as it was, even when the run fails."""

from __future__ import annotations

import gc

import pytest

from confianza.access.service.collection import collector_held


def test_the_collector_is_put_back_as_it_was() -> None:
    assert gc.isenabled()
    with collector_held():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_held():
        raise RuntimeError("a run that fails")
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_held():
            pass
        assert not gc.isenabled()  # one held off by the caller stays so
    finally:
        gc.enable()
