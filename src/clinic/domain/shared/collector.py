"""Pausing Python's cyclic garbage collector around bulk work."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pauses the cyclic garbage collector: bulk work (resolving or importing thousands of
    records) makes millions of short-lived objects, which would set it off again and again,
    each pass walking every live object. Reference counting still frees memory as usual; what
    survives is collected once the collector runs again. It is process-wide: keep it to one
    chunk or batch of work."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
