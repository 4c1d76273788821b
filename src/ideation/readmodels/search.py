"""German full-text search over ideas: SQLite FTS5 or PostgreSQL tsvector('german').

One search document per idea holds its title, summary and comments, folded the German way
(lower case, ß → ss, umlauts and other accents without their marks) plus, for every word with
an umlaut, its transliteration (ä → ae, ö → oe, ü → ue). Queries are folded the same way, so
"Straße", "strasse" and "STRASSE" find the same ideas, and so do "Grünfläche", "grunflache"
and "gruenflaeche".

Every word of a query is a prefix, so a compound word is found by its first part
("bewässer" finds "Bewässerung", "grünfläche" finds "Grünflächenpflege"):

- SQLite: an FTS5 table with the `unicode61 remove_diacritics 2` tokenizer; each query word
  becomes a quoted prefix query after a light German suffix strip ("Sensoren" → "sensor*").
- PostgreSQL: a GIN index over `to_tsvector('german', document) || to_tsvector('simple',
  document)`; each query word matches if its German stem is a prefix of a stemmed word
  ("bewässer" → 'bewass':*) or if it is a prefix of an unstemmed word (so a prefix typed
  past the stem still matches while typing: "bewässeru" finds "Bewässerung").

Common German function words ("der", "für", "und" …) are left out of queries, so
"Bewässerung von Bäumen" does not need a word starting with "von". Query words are runs of
letters and digits only: quotes, `*`, `:`, parentheses or OR/NOT typed by a user are taken
as plain text and never reach the query language.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import ColumnElement, TextualSelect, column, func, literal, select, table, text
from sqlalchemy.engine import Connection, Row

from ideation.readmodels.tables import comments, ideas

SEARCH_TABLE = "rm_idea_search"
MIN_PREFIX_LENGTH = 2
MAX_QUERY_TERMS = 16
MAX_RESULTS = 1000
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})
_PG_INDEX = f"{SEARCH_TABLE}_vector"
# The search table as statements see it (it is created by hand: FTS5 or with a tsvector).
_FTS = table(SEARCH_TABLE, column("rowid"), column("rank"))
_PG_SEARCH = table(SEARCH_TABLE, column("idea_id"), column("vector"))
# The document's vector (German stems and the plain words) is stored beside it when the
# document is written: ranking and rechecking a match then read it instead of computing it
# again from the whole document for every matching idea (B3 on PostgreSQL, issue 9).
_PG_VECTOR_OF = "(to_tsvector('german', :doc) || to_tsvector('simple', :doc))"

# Suffixes stripped from SQLite query words (longest first), keeping at least 4 letters: a
# light stand-in for PostgreSQL's German stemmer; a shorter prefix only finds more.
_SUFFIXES = ("ungen", "ung", "ern", "em", "en", "er", "es", "e", "n", "s")
_MIN_STEM_LENGTH = 4


def _strip_marks(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    )


# Folding a title letter by letter through Unicode normalisation was a third of a search
# (B3, issue 9). Letters that fold to plain ASCII (ä → a, é → e, …) are precomputed with
# `_strip_marks` itself, and characters that folding leaves alone (dashes, German quotes, €,
# æ …) are listed; a text of only those takes the fast way, anything else the full one.
_FOLD_RANGES = (range(0x80, 0x250), range(0x2000, 0x2070), range(0x20A0, 0x20D0))
_ASCII_MARKS = str.maketrans(
    {
        chr(code): _strip_marks(chr(code))
        for span in _FOLD_RANGES
        for code in span
        if _strip_marks(chr(code)).isascii() and _strip_marks(chr(code)) != chr(code)
    }
)
_UNCHANGED_BY_FOLDING = "".join(
    chr(code)
    for span in _FOLD_RANGES
    for code in span
    if _strip_marks(chr(code)) == chr(code) and not unicodedata.combining(chr(code))
)
_NEEDS_NORMALISING = re.compile("[^\x00-\x7f" + re.escape(_UNCHANGED_BY_FOLDING) + "]")


def fold(value: str) -> str:
    """Fold text the German way: lower case, ß → ss, accents and umlaut dots removed."""
    folded = value.casefold()
    if folded.isascii():
        return folded
    folded = folded.translate(_ASCII_MARKS)
    return _strip_marks(folded) if _NEEDS_NORMALISING.search(folded) else folded


def words(value: str) -> list[str]:
    """The folded words (letters and digits) of a text, in order."""
    return _WORD.findall(fold(value))


# Common German function words, left out of queries (PostgreSQL's German stemmer drops most
# of them too, so both databases answer alike).
_STOP_WORD_TEXT = """
    aber alle allem allen aller alles als also am an ans auch auf aus bei beim bin bis bist
    da damit dann das dass dem den denn der des dessen die dies diese diesem diesen dieser
    dieses doch dort du durch ein eine einem einen einer eines er es etwa euch für gegen
    hat hatte hier ich ihr im in ins ist ja je jede jedem jeden jeder jedes kann kein keine
    man mehr mit muss nach nicht noch nun nur ob oder ohne per pro sich sie sind so soll
    sowie über um und uns unter vom von vor war waren was weil wenn werden wie wir wird wo
    zu zum zur zwischen
"""
STOP_WORDS = frozenset(fold(w) for w in _STOP_WORD_TEXT.split())


def search_terms(query: str) -> list[str]:
    """Split a user's query into folded words usable as prefixes (function words dropped).

    If the query holds nothing but function words, they are kept: "die" still finds "Dienst".
    """
    terms = list(dict.fromkeys(w for w in words(query) if len(w) >= MIN_PREFIX_LENGTH))
    content = [w for w in terms if w not in STOP_WORDS]
    return (content or terms)[:MAX_QUERY_TERMS]


def light_stem(term: str) -> str:
    """Strip one common German inflection suffix, keeping at least four letters."""
    for suffix in _SUFFIXES:
        if term.endswith(suffix) and len(term) - len(suffix) >= _MIN_STEM_LENGTH:
            return term[: -len(suffix)]
    return term


def search_document(parts: list[str]) -> str:
    """The indexed text: the folded parts, then transliterations of words with umlauts."""
    joined = "\n".join(parts)
    transliterated = dict.fromkeys(
        w.translate(_TRANSLITERATION)
        for w in _WORD.findall(joined.casefold())
        if any(ch in w for ch in "äöü")
    )
    return "\n".join([fold(joined), " ".join(transliterated)]).strip()


def create_search_index(conn: Connection) -> None:
    """Create the dialect's search table (and index)."""
    if conn.dialect.name == "sqlite":
        conn.execute(
            text(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {SEARCH_TABLE} USING fts5("
                "idea_id UNINDEXED, document, tokenize='unicode61 remove_diacritics 2')"
            )
        )
        return
    conn.execute(
        text(
            f"CREATE TABLE IF NOT EXISTS {SEARCH_TABLE} "
            "(idea_id uuid PRIMARY KEY, document text NOT NULL, vector tsvector NOT NULL)"
        )
    )
    conn.execute(
        text(f"CREATE INDEX IF NOT EXISTS {_PG_INDEX} ON {SEARCH_TABLE} USING GIN (vector)")
    )


def drop_search_index(conn: Connection) -> None:
    """Drop the dialect's search table."""
    conn.execute(text(f"DROP TABLE IF EXISTS {SEARCH_TABLE}"))


def reindex_idea(conn: Connection, idea_id: UUID) -> None:
    """Rebuild one idea's search document from its title, summary and comments."""
    row = conn.execute(
        select(ideas.c.title, ideas.c.summary, ideas.c.search_key).where(ideas.c.id == idea_id)
    ).first()
    if row is None:
        return
    texts = conn.execute(
        select(comments.c.text).where(comments.c.idea_id == idea_id).order_by(comments.c.version)
    ).scalars()
    document = search_document([row.title, row.summary, *texts])
    if conn.dialect.name == "sqlite":
        # FTS5 finds a row fast only by its rowid: the idea's stable search key.
        params = {"key": row.search_key, "id": idea_id.hex, "doc": document}
        conn.execute(text("DELETE FROM rm_idea_search WHERE rowid = :key"), params)
        conn.execute(
            text("INSERT INTO rm_idea_search (rowid, idea_id, document) VALUES (:key, :id, :doc)"),
            params,
        )
        return
    conn.execute(
        text(
            f"INSERT INTO rm_idea_search (idea_id, document, vector) "  # noqa: S608
            f"VALUES (:id, :doc, {_PG_VECTOR_OF}) "
            "ON CONFLICT (idea_id) DO UPDATE "
            "SET document = EXCLUDED.document, vector = EXCLUDED.vector"
        ),
        {"id": idea_id, "doc": document},
    )


def matching_idea_ids(conn: Connection, query: str, *, any_term: bool = False) -> list[UUID]:
    """Ideas whose title, summary or comments contain every word of the query as a prefix.

    With `any_term`, one matching word is enough (used to find candidates for similarity).
    Results are ranked best first (at most 1000). A query without words finds nothing.
    """
    terms = search_terms(query)
    if not terms:
        return []
    if conn.dialect.name == "sqlite":
        return _sqlite_matches(conn, terms, any_term)
    return _postgres_matches(conn, terms, any_term)


def _sqlite_matches(conn: Connection, terms: list[str], any_term: bool) -> list[UUID]:
    rows = conn.execute(
        text(
            "SELECT idea_id FROM rm_idea_search WHERE rm_idea_search MATCH :match "
            "ORDER BY rank LIMIT :limit"
        ),
        {"match": _sqlite_match(terms, any_term), "limit": MAX_RESULTS},
    )
    return [UUID(hex=r.idea_id) for r in rows]


def _sqlite_match(terms: list[str], any_term: bool) -> str:
    # Each term is quoted, so FTS5 operators can never come from a user's query.
    joiner = " OR " if any_term else " AND "
    match = joiner.join('"' + light_stem(t).replace('"', '""') + '"*' for t in terms)
    return f"document : ({match})"


def ranked_matches(
    conn: Connection, query: str, conditions: Sequence[ColumnElement[bool]] = ()
) -> list[Row[tuple[UUID, str]]]:
    """Id and title of the ideas matching the query and every condition, best first.

    One statement joins the search table with the ideas (at most 1000 rows, ranked after the
    conditions); the same words match as in `matching_idea_ids`. A query without words finds
    nothing.
    """
    terms = search_terms(query)
    if not terms:
        return []
    found = select(ideas.c.id, ideas.c.title).where(*conditions).limit(MAX_RESULTS)
    if conn.dialect.name == "sqlite":
        # FTS5 rows are keyed by the idea's search key: the join needs no lookup of idea_id.
        statement = (
            found.join_from(ideas, _FTS, _FTS.c.rowid == ideas.c.search_key)
            .where(text(f"{SEARCH_TABLE} MATCH :match"))
            .order_by(_FTS.c.rank, _FTS.c.rowid)
        )
        return list(conn.execute(statement, {"match": _sqlite_match(terms, any_term=False)}))
    tsquery = _postgres_query(terms, any_term=False).subquery("q")
    statement = (
        found.join_from(ideas, _PG_SEARCH, _PG_SEARCH.c.idea_id == ideas.c.id)
        .join(tsquery, literal(True))
        .where(_PG_SEARCH.c.vector.op("@@")(tsquery.c.query))
        .order_by(func.ts_rank(_PG_SEARCH.c.vector, tsquery.c.query).desc(), ideas.c.id)
    )
    return list(conn.execute(statement))


def _postgres_matches(conn: Connection, terms: list[str], any_term: bool) -> list[UUID]:
    tsquery = _postgres_query(terms, any_term).subquery("q")
    statement = (
        select(_PG_SEARCH.c.idea_id)
        .join(tsquery, literal(True))
        .where(_PG_SEARCH.c.vector.op("@@")(tsquery.c.query))
        .order_by(func.ts_rank(_PG_SEARCH.c.vector, tsquery.c.query).desc(), _PG_SEARCH.c.idea_id)
        .limit(MAX_RESULTS)
    )
    return [r.idea_id for r in conn.execute(statement)]


def _postgres_query(terms: list[str], any_term: bool) -> TextualSelect:
    # Per term: its German stem as a prefix OR the word itself as a prefix of an unstemmed
    # word. Terms hold only letters and digits, so no tsquery operator can reach the query;
    # only constants and generated placeholder names are formatted into the statement.
    joiner = " || " if any_term else " && "
    query = joiner.join(
        f"(to_tsquery('german', :t{i}) || to_tsquery('simple', :t{i}))" for i in range(len(terms))
    )
    params = {f"t{i}": term + ":*" for i, term in enumerate(terms)}
    return text(f"SELECT {query} AS query").bindparams(**params).columns(column("query"))
