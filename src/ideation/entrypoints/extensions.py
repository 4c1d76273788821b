"""Flask extensions, created unbound here and registered in create_app()."""

from __future__ import annotations

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
# Per-address limits, kept in memory per process (the per-account throttle is in the database).
limiter = Limiter(key_func=get_remote_address, storage_uri="memory://", default_limits=[])
