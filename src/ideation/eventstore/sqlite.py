"""The library's SQLite recorder with every connection set to synchronous=FULL (ES-13)."""

from __future__ import annotations

from eventsourcing.persistence import Environment, EnvType
from eventsourcing.sqlite import SQLiteConnection, SQLiteConnectionPool, SQLiteFactory


class DurableSQLiteConnectionPool(SQLiteConnectionPool):
    """WAL mode (set by the library) plus synchronous=FULL, which survives power loss."""

    def _create_connection(self) -> SQLiteConnection:
        connection = super()._create_connection()
        connection._sqlite_conn.execute("PRAGMA synchronous=FULL;")
        return connection


class DurableSQLiteFactory(SQLiteFactory):
    """Factory named by PERSISTENCE_MODULE for the embedded SQLite event store."""

    def __init__(self, env: Environment | EnvType | None):
        super().__init__(env)
        plain_pool = self.datastore.pool
        # The library builds its pool before we can choose the class; swap it before first use.
        self.datastore.pool = DurableSQLiteConnectionPool(
            db_name=plain_pool.db_name, lock_timeout=plain_pool.lock_timeout
        )
        plain_pool.close()
