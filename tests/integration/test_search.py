"""German full-text search and "Ähnliche Ideen", on SQLite FTS5 and PostgreSQL tsvector('german').

Both backends fold ß to ss and drop umlaut dots (SQLite: the folded index and the unicode61
tokenizer; PostgreSQL: the same folded document, its German stemmer and an unstemmed
'simple' vector), and index the ae/oe/ue spelling of words with umlauts. So every
assertion below holds on both; none is weakened for one of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ideation.application.service import IdeationApplication
from tests.conftest import Cast


@dataclass(frozen=True)
class Corpus:
    watering: UUID
    lighting: UUID
    green: UUID
    waste: UUID
    wifi: UUID


def _corpus(app: IdeationApplication, cast: Cast) -> Corpus:
    """Five ideas of a German city, one with a comment."""
    watering = app.submit_idea(
        cast.member,
        title="Bewässerung der Stadtbäume per Sensor",
        summary="Bodenfeuchtesensoren melden, wann die Bäume gegossen werden müssen.",
    )
    lighting = app.submit_idea(
        cast.member,
        title="Straßenbeleuchtung dimmen",
        summary="Laternen nachts bei wenig Verkehr herunterregeln und Strom sparen.",
    )
    green = app.submit_idea(
        cast.other_member,
        title="Grünflächenpflege digital planen",
        summary="Mähpläne und Pflegeintervalle der Parks auf einer Karte.",
    )
    waste = app.submit_idea(
        cast.other_member,
        title="Müllabfuhr-Routen optimieren",
        summary="Füllstandssensoren an Containern, Touren nach Bedarf.",
    )
    wifi = app.submit_idea(
        cast.member,
        title="Fußgängerzone WLAN",
        summary="Freies WLAN in der Innenstadt für Besucherinnen und Besucher.",
    )
    app.comment_on_idea(cast.other_member, wifi, 1, "Die Größe der Funkzellen bitte vorher prüfen.")
    return Corpus(watering, lighting, green, waste, wifi)


def _found(app: IdeationApplication, query: str) -> list[UUID]:
    assert app.read_models is not None
    return [row.id for row in app.read_models.search_ideas(query).rows]


@pytest.fixture
def corpus(app: IdeationApplication, cast: Cast) -> Corpus:
    return _corpus(app, cast)


def test_a_word_beginning_finds_german_compound_words(
    app: IdeationApplication, corpus: Corpus
) -> None:
    assert _found(app, "bewässer") == [corpus.watering]
    # Typed further than the stem, while typing: still found.
    assert _found(app, "Bewässeru") == [corpus.watering]
    assert _found(app, "BEWÄSSERUNG") == [corpus.watering]
    assert _found(app, "Grünfläche") == [corpus.green]
    assert _found(app, "Müllabfuhr") == [corpus.waste]
    # Both halves of a hyphenated compound are words of their own.
    assert _found(app, "Routen") == [corpus.waste]


def test_sharp_s_and_double_s_find_the_same_idea(app: IdeationApplication, corpus: Corpus) -> None:
    for query in ("Strasse", "straße", "STRASSE", "Straßenbeleuchtung", "strassenbeleuchtung"):
        assert _found(app, query) == [corpus.lighting], query
    assert _found(app, "Fussgängerzone") == [corpus.wifi]


def test_umlauts_match_with_or_without_dots_and_as_ae_oe_ue(
    app: IdeationApplication, corpus: Corpus
) -> None:
    # Both backends are umlaut-insensitive: "grunflache" finds "Grünflächenpflege" (SQLite's
    # unicode61 tokenizer removes the dots; on PostgreSQL the document and the query are
    # folded the same way), and the transliterated spelling is indexed too.
    for query in ("grünfläche", "grunflache", "gruenflaeche", "GRUENFLAECHEN"):
        assert _found(app, query) == [corpus.green], query
    assert _found(app, "Mullabfuhr") == [corpus.waste]
    assert _found(app, "Muellabfuhr") == [corpus.waste]


def test_inflected_query_words_find_their_base_form(
    app: IdeationApplication, corpus: Corpus
) -> None:
    # "Sensoren" finds "Sensor" and "Füllstandssensoren" does not get in the way: words are
    # compared from their beginning.
    assert _found(app, "Sensoren") == [corpus.watering]
    assert _found(app, "Laterne") == [corpus.lighting]


def test_a_word_only_in_a_comment_finds_its_idea(app: IdeationApplication, corpus: Corpus) -> None:
    assert _found(app, "Funkzellen") == [corpus.wifi]
    assert _found(app, "Größe") == [corpus.wifi]
    assert _found(app, "grosse") == [corpus.wifi]


def test_every_word_of_a_query_must_match_and_function_words_are_ignored(
    app: IdeationApplication, corpus: Corpus
) -> None:
    assert _found(app, "WLAN Fußgängerzone") == [corpus.wifi]
    assert _found(app, "Straße Bewässerung") == []
    # "der", "von" and "für" need not appear in the idea.
    assert _found(app, "Bewässerung von der Sensor für") == [corpus.watering]
    # A query of nothing but function words still searches for them.
    assert set(_found(app, "der")) == {corpus.watering, corpus.green, corpus.wifi}


def test_a_revised_title_is_found_by_its_new_words_only(
    app: IdeationApplication, cast: Cast, corpus: Corpus
) -> None:
    app.revise_idea(cast.member, corpus.lighting, 1, {"title": "Laternen nachts herunterregeln"})

    assert _found(app, "Straßenbeleuchtung") == []
    assert _found(app, "herunterregeln") == [corpus.lighting]


NASTY_QUERIES = [
    '"Straßenbeleuchtung"',
    "dimm*",
    "Straße OR Müll",
    "NOT WLAN",
    "(WLAN",
    "WLAN)",
    "document:WLAN",
    "title : WLAN",
    "WLAN:*",
    "^WLAN",
    "NEAR(WLAN Zone)",
    "'WLAN' & !Zone | <->",
    "'; DROP TABLE rm_ideas; --",
    "\\",
    "%_%",
    '"""',
    "*",
    ":",
    "-",
    "😀 WLAN",
    "x² ½",
    "\x00WLAN",
]


@pytest.mark.parametrize("query", NASTY_QUERIES)
def test_query_syntax_typed_by_a_user_is_plain_text_and_never_fails(
    app: IdeationApplication, corpus: Corpus, query: str
) -> None:
    assert app.read_models is not None
    page = app.read_models.search_ideas(query)
    assert page.total == len(page.rows)
    # Operators are taken as words: the words in them still search.
    if query in ('"Straßenbeleuchtung"', "dimm*"):
        assert [r.id for r in page.rows] == [corpus.lighting]
    if query in ("WLAN:*", "(WLAN", "WLAN)", "^WLAN", "😀 WLAN", "\x00WLAN"):
        assert corpus.wifi in [r.id for r in page.rows]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=st.text(max_size=40))
def test_any_text_can_be_searched_without_an_error(
    app: IdeationApplication, cast: Cast, query: str
) -> None:
    assert app.read_models is not None
    app.read_models.search_ideas(query)
    app.read_models.similar_ideas(query, query)


def test_an_empty_query_finds_nothing(app: IdeationApplication, corpus: Corpus) -> None:
    assert app.read_models is not None
    for query in ("", "   ", "*", '""', "!?", "a"):
        page = app.read_models.search_ideas(query)
        assert (page.rows, page.total) == ((), 0), query
    # In the idea list a blank search box filters nothing, and punctuation finds nothing.
    assert app.read_models.list_ideas(text="  ").total == 5
    assert app.read_models.list_ideas(text="***").total == 0


def test_search_combines_with_filters(app: IdeationApplication, cast: Cast, corpus: Corpus) -> None:
    assert app.read_models is not None
    # Words match from their beginning: "Sensor" counts, "Füllstandssensoren" does not.
    assert [r.id for r in app.read_models.list_ideas(text="sensor").rows] == [corpus.watering]
    mobility = app.read_models.list_ideas(text="sensor", department_id=cast.mobility)
    assert [r.id for r in mobility.rows] == [corpus.watering]
    assert app.read_models.list_ideas(text="sensor", department_id=cast.citizens).total == 0
    assert app.read_models.list_ideas(text="WLAN", stage="in_review").total == 0


# -- similar ideas ("Ähnliche Ideen") ---------------------------------------------------


def test_a_near_duplicate_draft_shows_the_existing_idea_first(
    app: IdeationApplication, corpus: Corpus
) -> None:
    assert app.read_models is not None
    draft_title = "Sensoren für die Bewässerung von Stadtbäumen"
    draft_summary = "Sensoren messen die Bodenfeuchte, damit Bäume rechtzeitig gegossen werden."

    similar = app.read_models.similar_ideas(draft_title, draft_summary)

    assert similar, "the near-duplicate must be suggested"
    assert similar[0].id == corpus.watering
    assert similar[0].title == "Bewässerung der Stadtbäume per Sensor"
    assert similar[0].stage_label == "Eingereicht"
    everything = app.read_models.similar_ideas(draft_title, draft_summary, min_score=0, limit=10)
    scores = {s.id: s.score for s in everything}
    assert set(scores) == {
        corpus.watering,
        corpus.lighting,
        corpus.green,
        corpus.waste,
        corpus.wifi,
    }
    assert all(0 <= score <= 100 for score in scores.values())
    assert scores[corpus.watering] == max(scores.values())
    assert all(scores[corpus.watering] > s for i, s in scores.items() if i != corpus.watering)
    assert [s.score for s in everything] == sorted(scores.values(), reverse=True)


def test_unrelated_drafts_get_no_suggestions(app: IdeationApplication, corpus: Corpus) -> None:
    assert app.read_models is not None
    drafts = [
        ("Digitale Bauakte", "Bauanträge online einreichen und den Stand verfolgen."),
        ("Online-Terminvergabe im Bürgerbüro", "Termine per App buchen statt Warteschlange."),
        ("Ratsinformationssystem barrierefrei", "Sitzungsunterlagen für Screenreader."),
    ]
    for title, summary in drafts:
        assert app.read_models.similar_ideas(title, summary) == [], title


def test_a_title_alone_suggests_ideas_while_typing(
    app: IdeationApplication, corpus: Corpus
) -> None:
    assert app.read_models is not None
    assert [s.id for s in app.read_models.similar_ideas("Straßenlaternen dimmen")] == [
        corpus.lighting
    ]
    assert app.read_models.similar_ideas("") == []
    assert app.read_models.similar_ideas("   ", "") == []


def test_merged_withdrawn_and_the_edited_idea_itself_are_not_suggested(
    app: IdeationApplication, cast: Cast, corpus: Corpus
) -> None:
    assert app.read_models is not None
    duplicate = app.submit_idea(
        cast.other_member,
        title="Bewässerung von Stadtbäumen mit Sensoren",
        summary="Bodenfeuchte messen und gezielt gießen.",
    )
    taken_back = app.submit_idea(
        cast.member, title="Stadtbäume per Sensor bewässern", summary="Bodenfeuchte messen."
    )
    draft = ("Sensoren für die Bewässerung von Stadtbäumen", "Bodenfeuchte messen.")
    before = {s.id for s in app.read_models.similar_ideas(*draft)}
    assert {corpus.watering, duplicate, taken_back} <= before

    app.merge_idea(cast.coordinator, duplicate, 1, corpus.watering, "Gleiche Idee")
    app.withdraw_idea(cast.member, taken_back, 1, "Doppelt eingereicht")

    after = app.read_models.similar_ideas(*draft)
    assert [s.id for s in after] == [corpus.watering]
    assert app.read_models.similar_ideas(*draft, exclude_idea_id=corpus.watering) == []


def test_invalid_similarity_arguments_raise_a_value_error_in_german(
    app: IdeationApplication, corpus: Corpus
) -> None:
    assert app.read_models is not None
    with pytest.raises(ValueError, match="Anzahl"):
        app.read_models.similar_ideas("WLAN", limit=0)


def test_an_idea_whose_title_holds_the_searched_words_comes_first(
    app: IdeationApplication, cast: Cast
) -> None:
    # A long text that mentions the word three times, and a short title that names it.
    app.submit_idea(
        cast.other_member,
        title="Digitaler Zwilling der Stadt",
        summary=(
            "Ein 3D-Modell bündelt Daten: Bodenfeuchtesensoren, Bodenfeuchtesensoren an "
            "Schulen und Bodenfeuchtesensoren in Parks."
        ),
    )
    named = app.submit_idea(
        cast.member,
        title="Straßenbäume mit Bodenfeuchtesensoren bewässern",
        summary="Gießen nach Bedarf statt nach Plan, mit vielen weiteren Worten in der "
        "Beschreibung, damit dieser Text länger ist als der andere.",
    )
    rows = app.read_models.list_ideas(text="Bodenfeuchtesensoren").rows
    assert rows[0].id == named
    assert len(rows) == 2


_FOLDING_ALPHABET = st.characters(
    codec="utf-8",
    categories=("L", "M", "N", "P", "S", "Z"),
    # German text, typographic punctuation, the euro sign, combining marks, compatibility
    # forms (ligatures, superscripts) and Hangul jamo that normalisation composes.
    include_characters="äöüÄÖÜßẞéèêçñæø–—„“”‚‘’…€²ﬁ\u0308\u0301\u1100\u1161",
)


@settings(max_examples=300, deadline=None)
@given(value=st.text(alphabet=_FOLDING_ALPHABET, max_size=30))
def test_folding_by_table_gives_the_same_words_as_unicode_normalisation(value: str) -> None:
    # The fast way for common letters and punctuation (issue 9, B3) must fold every text
    # exactly as decomposing, dropping the marks and composing again does.
    from ideation.readmodels.search import _strip_marks, fold

    assert fold(value) == _strip_marks(value.casefold())
