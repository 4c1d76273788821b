"""Every German text the planner can show has an English translation (issue 4)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]


def _keywords() -> list[str]:
    makefile = (ROOT / "Makefile").read_text()
    block = re.search(r"MESSAGE_KEYWORDS := (.*?)\n\n", makefile, re.S).group(1)
    return block.replace("\\\n", " ").split()


def _key(message_id: str | tuple[str, ...]) -> str:
    """A plural message (ngettext) is known by its singular text."""
    return message_id if isinstance(message_id, str) else message_id[0]


def _translated(message) -> bool:
    """Every form of the message has an English text."""
    forms = message.string if isinstance(message.string, tuple | list) else (message.string,)
    return all(forms)


def test_every_extracted_message_has_a_reviewed_english_translation(tmp_path: Path) -> None:
    template = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         *_keywords(), "-o", str(template), "."],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    with template.open("rb") as f:
        wanted = {_key(m.id) for m in read_po(f) if m.id}
    catalogue = ROOT / "web/translations/en/LC_MESSAGES/messages.po"
    with catalogue.open("rb") as f:
        english = {_key(m.id): m for m in read_po(f, locale="en") if m.id}

    missing = sorted(i for i in wanted if i not in english or not _translated(english[i]))
    unreviewed = sorted(i for i in wanted if i in english and english[i].fuzzy)
    assert not missing, f"untranslated (run make translations, then translate): {missing}"
    assert not unreviewed, f"fuzzy guesses to review in messages.po: {unreviewed}"
    assert len(wanted) > 250


def test_german_times_read_as_babel_writes_them_across_both_clock_changes(web_app) -> None:
    # The German format is written with strftime for speed; it must match Babel's pattern
    # "dd.MM.yyyy, HH:mm" in Europe/Berlin for every moment, summer time and winter time.
    import datetime as dt

    from flask_babel import format_datetime

    from ideation.entrypoints.i18n import format_datetime_local

    moments = [
        dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=37 * n) for n in range(15000)
    ]
    moments += [dt.datetime(2026, 3, 29, 1, 30), dt.datetime(2026, 10, 25, 0, 59)]  # naive: UTC
    with web_app.test_request_context("/"):
        written = [format_datetime_local(m) for m in moments]
        expected = [format_datetime(m, "dd.MM.yyyy, HH:mm") for m in moments]
    assert written == expected
    assert "29.03.2026, 03:30" in written  # 01:30 UTC, just after the clocks went forward
