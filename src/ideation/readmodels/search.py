"""German full-text search over ideas: SQLite FTS5 or PostgreSQL tsvector('german')."""

from __future__ import annotations

import re
from uuid import UUID

from sqlalchemy import select, text
from sqlalchemy.engine import Connection

from ideation.readmodels.tables import comments, ideas

SEARCH_TABLE = "rm_idea_search"
MIN_PREFIX_LENGTH = 2
_WORD = re.compile(r"\w+", re.UNICODE)


def fold(value: str) -> str:
    """Fold case the German way (ß → ss); umlauts stay and the index folds their dots."""
    return value.casefold()


def search_terms(query: str) -> list[str]:
    """Split a user's query into folded words usable as prefixes."""
    return [w for w in _WORD.findall(fold(query)) if len(w) >= MIN_PREFIX_LENGTH]


def create_search_index(conn: Connection) -> None:
    """Create the dialect's search table (and index)."""
    if conn.dialect.name == "sqlite":
        conn.execute(
            text(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {SEARCH_TABLE} USING fts5("
                "idea_id UNINDEXED, document, tokenize='unicode61 remove_diacritics 2')"
            )
        )
    else:
        conn.execute(
            text(
                f"CREATE TABLE IF NOT EXISTS {SEARCH_TABLE} "
                "(idea_id uuid PRIMARY KEY, document text NOT NULL)"
            )
        )
        conn.execute(
            text(
                f"CREATE INDEX IF NOT EXISTS {SEARCH_TABLE}_fts ON {SEARCH_TABLE} "
                "USING GIN (to_tsvector('german', document))"
            )
        )


def drop_search_index(conn: Connection) -> None:
    """Drop the dialect's search table."""
    conn.execute(text(f"DROP TABLE IF EXISTS {SEARCH_TABLE}"))


def reindex_idea(conn: Connection, idea_id: UUID) -> None:
    """Rebuild one idea's search document from its title, summary and comments."""
    row = conn.execute(select(ideas.c.title, ideas.c.summary).where(ideas.c.id == idea_id)).first()
    if row is None:
        return
    texts = conn.execute(
        select(comments.c.text).where(comments.c.idea_id == idea_id).order_by(comments.c.version)
    ).scalars()
    document = "\n".join([row.title, row.summary, *texts])
    key = idea_id.hex if conn.dialect.name == "sqlite" else idea_id
    conn.execute(text("DELETE FROM rm_idea_search WHERE idea_id = :id"), {"id": key})
    if conn.dialect.name == "sqlite":
        document = fold(document)
    conn.execute(
        text("INSERT INTO rm_idea_search (idea_id, document) VALUES (:id, :doc)"),
        {"id": key, "doc": document},
    )


def matching_idea_ids(conn: Connection, query: str, *, any_term: bool = False) -> list[UUID]:
    """Ideas whose title, summary or comments contain every word of the query as a prefix.

    With `any_term`, one matching word is enough (used to find candidates for similarity).
    Results are ranked best first.
    """
    terms = search_terms(query)
    if not terms:
        return []
    joiner = " OR " if any_term else " AND "
    if conn.dialect.name == "sqlite":
        # Each term is quoted, so FTS5 operators typed by a user are taken literally.
        match = joiner.join('"' + t.replace('"', '""') + '"*' for t in terms)
        rows = conn.execute(
            text(
                "SELECT idea_id FROM rm_idea_search WHERE rm_idea_search MATCH :match "
                "ORDER BY rank LIMIT 1000"
            ),
            {"match": f"document : ({match})"},
        )
        return [UUID(hex=r.idea_id) for r in rows]
    pg_joiner = " | " if any_term else " & "
    tsquery = pg_joiner.join(_pg_lexeme(t) + ":*" for t in terms)
    rows = conn.execute(
        text(
            "SELECT idea_id FROM rm_idea_search "
            "WHERE to_tsvector('german', document) @@ to_tsquery('german', :q) "
            "ORDER BY ts_rank(to_tsvector('german', document), to_tsquery('german', :q)) DESC "
            "LIMIT 1000"
        ),
        {"q": tsquery},
    )
    return [r.idea_id for r in rows]


def _pg_lexeme(term: str) -> str:
    # Only word characters reach to_tsquery, so a user cannot inject tsquery operators.
    return "".join(ch for ch in term if ch.isalnum()) or "_"
