"""Flask extensions, created unbound here and registered in create_app()."""

from __future__ import annotations

import threading
from typing import Any

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from limits.storage import MemoryStorage


class ThreadSafeMemoryStorage(MemoryStorage):
    """limits' in-memory storage, with its expiry timer restarted by one thread at a time.

    limits 5.8 replaces and starts the timer without a lock: two request threads of one
    worker (gunicorn gthread) can both see it stopped, and the second `start()` of the same
    timer raises "threads can only be started once", a 500 (fixed upstream in
    alisaifee/limits#352, not yet released here). Registered as `ideation-memory://`.
    """

    STORAGE_SCHEME = ["ideation-memory"]  # noqa: RUF012 - the library's class-level setting

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any):
        self._timer_lock = threading.Lock()
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    def _MemoryStorage__schedule_expiry(self) -> None:  # noqa: N802 - the parent's private hook
        with self._timer_lock:
            super()._MemoryStorage__schedule_expiry()


babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
# Per-address limits, kept in memory per process (the per-account throttle is in the database).
limiter = Limiter(key_func=get_remote_address, storage_uri="ideation-memory://", default_limits=[])
