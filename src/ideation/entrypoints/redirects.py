"""Where a `next` parameter may lead: only to a path on this site (catalogue SEC-13)."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit


def safe_next(target: str | None) -> str | None:
    """Return `target` if it is a plain local path, else None."""
    if not target or not isinstance(target, str):
        return None
    decoded = unquote(target)
    if not decoded.startswith("/") or decoded.startswith("//") or "\\" in decoded:
        return None
    if any(ord(ch) < 32 for ch in decoded):
        return None
    parts = urlsplit(decoded)
    if parts.scheme or parts.netloc:
        return None
    return target
