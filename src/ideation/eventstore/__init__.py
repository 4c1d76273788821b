"""Event-store infrastructure: the storage settings derived from one URL, SQLite hardening."""
