"""The per-address rate limits' in-memory storage survives concurrent request threads.

Found by the two-hosts load test (LOAD-1): limits 5.8's MemoryStorage restarts its expiry
timer without a lock, so two threads of one gunicorn gthread worker could start the same
timer twice and the request got a 500 ("threads can only be started once").
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator

import pytest
from flask import Flask
from limits.storage import MemoryStorage

from ideation.entrypoints.extensions import ThreadSafeMemoryStorage

THREADS = 8
ROUNDS = 150


@pytest.fixture
def frequent_thread_switches() -> Iterator[None]:
    """Switch threads as often as possible, so a race window of a few bytecodes gets hit."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(interval)


def hit_together(storage: MemoryStorage) -> list[BaseException]:
    """Let THREADS threads count a hit at the same moment, ROUNDS times, after the timer ran out."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(THREADS)

    def hit(first: bool) -> None:
        for _ in range(ROUNDS):
            barrier.wait(timeout=30)
            try:
                storage.incr("127.0.0.1", 60)
            except RuntimeError as error:
                errors.append(error)
            if first:
                time.sleep(0.015)  # the expiry timer (0.01 s) ends, so the next hit restarts it

    threads = [threading.Thread(target=hit, args=(n == 0,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_concurrent_hits_never_start_the_expiry_timer_twice(frequent_thread_switches: None) -> None:
    storage = ThreadSafeMemoryStorage()
    assert hit_together(storage) == []
    # limits' own counter may drop a hit under this many switches (seen once: 1,199 of 1,200);
    # what the fix promises is that no hit fails.
    assert 0 < storage.get("127.0.0.1") <= THREADS * ROUNDS


def test_the_limiter_uses_the_thread_safe_storage() -> None:
    from ideation.entrypoints.extensions import limiter

    app = Flask(__name__)
    limiter.init_app(app)
    assert isinstance(limiter.storage, ThreadSafeMemoryStorage)
    # The fix hooks a private method of limits; an upgrade that renames it must not pass quietly.
    assert callable(getattr(MemoryStorage, "_MemoryStorage__schedule_expiry", None))
