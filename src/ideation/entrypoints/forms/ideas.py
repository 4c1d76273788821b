"""Forms of the idea pages: filter, submit, and one form per action on an idea."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ideation.entrypoints.forms import ActionForm
from ideation.entrypoints.forms.exchange import optional_choice_id

REASON_REQUIRED = _l("Bitte eine Begründung angeben.")
SCALE_CHOICES = [(str(n), str(n)) for n in range(1, 6)]


def reason_field(label: Any = None) -> TextAreaField:
    """The reason every decision demands."""
    return TextAreaField(
        label or _l("Begründung"),
        validators=[DataRequired(REASON_REQUIRED), Length(max=5000)],
    )


def split_themes(text: str | None) -> list[str]:
    """Themes typed as one comma-separated line, without blanks and repeats."""
    themes = [t.strip() for t in (text or "").split(",")]
    return list(dict.fromkeys(t for t in themes if t))


class FilterIdeasForm(FlaskForm):
    """The filters and search of the idea list (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField(_l("Suchbegriff"), validators=[Optional(), Length(max=200)])
    stage = SelectField(_l("Stand"), validators=[Optional()])
    department = SelectField(_l("Fachbereich"), validators=[Optional()])
    theme = SelectField(_l("Thema"), validators=[Optional()])
    quick_win = SelectField(
        _l("Quick Win"),
        choices=[("", _l("alle")), ("yes", _l("nur Quick Wins")), ("no", _l("ohne Quick Wins"))],
        validators=[Optional()],
    )
    group = SelectField(_l("Arbeitsgruppe"), validators=[Optional()])
    sort = SelectField(
        _l("Sortierung"),
        choices=[
            ("", _l("zuletzt geändert")),
            ("submitted", _l("zuletzt eingereicht")),
            ("title", _l("Titel (A–Z)")),
            ("support", _l("meiste Mitwirkung")),
            ("impact", _l("höchste Wirkung")),
        ],
        validators=[Optional()],
    )


class IdeaContentForm(FlaskForm):
    """Title, summary, description and themes of an idea."""

    title = StringField(
        _l("Titel"),
        validators=[DataRequired(_l("Bitte einen Titel angeben.")), Length(min=3, max=200)],
    )
    summary = TextAreaField(
        _l("Kurzbeschreibung"),
        validators=[DataRequired(_l("Bitte kurz beschreiben, worum es geht.")), Length(max=500)],
        render_kw={"rows": 3},
    )
    description = TextAreaField(
        _l("Beschreibung (optional)"), validators=[Optional(), Length(max=20000)]
    )
    themes = StringField(
        _l("Themen (optional, durch Kommas getrennt)"), validators=[Optional(), Length(max=700)]
    )


class SubmitIdeaForm(IdeaContentForm):
    """A new idea of the person's department; the token makes a resubmit harmless."""

    idempotency_key = HiddenField()
    # Choices: the held exchange format sessions, newest first (set by the page).
    origin_session_id = SelectField(
        _l("Aus welchem Austauschformat stammt die Idee? (optional)"),
        validators=[Optional(), optional_choice_id],
        validate_choice=False,
    )


IdeaActionForm = ActionForm


class ReviseIdeaForm(IdeaActionForm, IdeaContentForm):
    """Change the content; the note says why."""

    field_prefix = "revise"

    note = TextAreaField(_l("Hinweis zur Überarbeitung (optional)"), validators=[Optional()])


class CommentIdeaForm(IdeaActionForm):
    """A comment, optionally as a reply."""

    field_prefix = "comment"

    text = TextAreaField(
        _l("Kommentar"),
        validators=[DataRequired(_l("Bitte einen Kommentar schreiben.")), Length(max=5000)],
    )
    reply_to = HiddenField()


class ReplyToCommentForm(IdeaActionForm):
    """A reply under one comment; its prefix names the comment (several on one page)."""

    field_prefix = "reply"

    text = TextAreaField(
        _l("Ihre Antwort"),
        validators=[DataRequired(_l("Bitte eine Antwort schreiben.")), Length(max=5000)],
        render_kw={"rows": 3},
    )


def reply_prefix(comment_id: Any) -> str:
    """The field prefix of the reply form under one comment."""
    return f"reply-{comment_id.hex[:12]}"


class PledgeSupportForm(IdeaActionForm):
    """The person's department declares it will take part."""

    field_prefix = "pledge"

    note = TextAreaField(_l("Wie bringt sich Ihr Fachbereich ein? (optional)"))


class WithdrawSupportForm(IdeaActionForm):
    """The person's department takes its pledge back."""

    field_prefix = "unpledge"

    note = TextAreaField(_l("Hinweis (optional)"))


class AssessIdeaForm(IdeaActionForm):
    """The coordination's assessment: impact, effort, duration, rationale."""

    field_prefix = "assess"

    impact = SelectField(_l("Wirkung (1 = gering, 5 = sehr hoch)"), choices=SCALE_CHOICES)
    effort = SelectField(_l("Aufwand (1 = sehr gering, 5 = sehr hoch)"), choices=SCALE_CHOICES)
    expected_weeks = IntegerField(
        _l("Erwartete Dauer (Wochen)"),
        validators=[
            InputRequired(_l("Bitte die erwartete Dauer in Wochen angeben.")),
            NumberRange(1, 520, _l("Die Dauer muss zwischen 1 und 520 Wochen liegen.")),
        ],
        render_kw={"inputmode": "numeric"},
    )
    rationale = reason_field(_l("Begründung der Bewertung"))


class OverrideQuickWinForm(IdeaActionForm):
    """Overrule the rule's quick-win classification, with a reason."""

    field_prefix = "override"

    quick_win = RadioField(
        _l("Quick Win?"),
        choices=[("yes", _l("ja, als Quick Win einstufen")), ("no", _l("nein, kein Quick Win"))],
        validators=[InputRequired(_l("Bitte ja oder nein wählen."))],
    )
    reason = reason_field()


class AssignIdeaForm(IdeaActionForm):
    """Hand the idea to a working group."""

    field_prefix = "assign"

    working_group_id = SelectField(
        _l("Arbeitsgruppe"), validators=[DataRequired(_l("Bitte eine Arbeitsgruppe auswählen."))]
    )


class AcceptIdeaForm(IdeaActionForm):
    """Accept the idea as a measure, with a reason."""

    field_prefix = "accept"

    owner_department_id = SelectField(
        _l("Verantwortlicher Fachbereich der Maßnahme"), validators=[Optional()]
    )
    reason = reason_field()


class RejectIdeaForm(IdeaActionForm):
    """Reject the idea, with a reason."""

    field_prefix = "reject"

    reason = reason_field()


class ParkIdeaForm(IdeaActionForm):
    """Park the idea, with a reason."""

    field_prefix = "park"

    reason = reason_field()


class ReopenIdeaForm(IdeaActionForm):
    """Take a parked idea up again, with a reason."""

    field_prefix = "reopen"

    reason = reason_field()


class MergeIdeaForm(IdeaActionForm):
    """Merge the idea into another one, with a reason."""

    field_prefix = "merge"

    into_idea_id = SelectField(
        _l("Zusammenführen mit"), validators=[DataRequired(_l("Bitte eine Idee auswählen."))]
    )
    reason = reason_field()


class WithdrawIdeaForm(IdeaActionForm):
    """The submitting department takes its idea back, with a reason."""

    field_prefix = "withdraw"

    reason = reason_field()


class AsOfForm(FlaskForm):
    """The "Stand am" date picker of the history (a GET form)."""

    class Meta:
        csrf = False

    date = StringField(_l("Stand am"), render_kw={"type": "date"})


class CompareVersionsForm(FlaskForm):
    """Two versions of an idea to compare (a GET form)."""

    class Meta:
        csrf = False

    older = SelectField(_l("Ältere Version"))
    newer = SelectField(_l("Neuere Version"))
