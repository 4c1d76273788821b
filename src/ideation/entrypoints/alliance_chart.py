"""The alliance chart: one stacked horizontal bar per department, a segment per kind of act.

Drawn on the server as SVG without scripts (pygal), shown through <img> like the funnel on
the start page; the ranking table on the same page carries every number as text, so the
chart needs no printed values. The most engaged department is on top.
"""

from __future__ import annotations

from typing import Any

import pygal
from flask_babel import format_number
from flask_babel import gettext as _

from ideation.entrypoints.charts import (
    CHART_WIDTH,
    chart_style,
    count_ticks,
    without_scripts,
)
from ideation.entrypoints.i18n import format_date_local
from ideation.readmodels.alliance import Alliance

BAR_PITCH = 34  # pixels per department
LEGEND_HEIGHT = 100  # three rows of two legend entries below the plot
# One colour per kind (order of ENGAGEMENT_KINDS), each at least 4.5:1 against white, and
# neighbours told apart by hue and lightness. Nothing rests on colour: the legend names the
# kinds in the order the segments are stacked, and the table below has every number.
KIND_COLOURS = ("#004b87", "#b34700", "#00704f", "#6b2c91", "#7a6000", "#4a4a4a")

ALLIANCE_STYLE = chart_style(KIND_COLOURS, text_size=14, title_size=17)


def kind_labels() -> dict[str, str]:
    """The six kinds of engagement as the page and the chart name them."""
    return {
        "ideas_submitted": _("Ideen eingereicht"),
        "supports_pledged": _("Mitwirkungen zugesagt"),
        "group_seats": _("Sitze in Arbeitsgruppen"),
        "sessions_attended": _("Austauschformate besucht"),
        "measures_owned": _("Maßnahmen verantwortet"),
        "benefits_received": _("Mehrwerte erhalten"),
    }


def alliance_chart_size(result: Alliance) -> tuple[int, int]:
    """Width and height of the chart (the <img> states them to keep its place)."""
    return CHART_WIDTH, 90 + LEGEND_HEIGHT + BAR_PITCH * max(len(result.rows), 1)


def alliance_chart_svg(result: Alliance) -> bytes:
    """Stacked bars of the six kinds per department, most engaged on top."""
    rows = tuple(reversed(result.rows))  # pygal draws the first label at the bottom
    ticks = count_ticks(max((r.score for r in rows), default=0))
    width, height = alliance_chart_size(result)
    chart = pygal.HorizontalStackedBar(
        style=ALLIANCE_STYLE,
        js=[],
        width=width,
        height=height,
        title=_(
            "Engagement je Fachbereich, %(start)s bis %(end)s",
            start=format_date_local(result.start),
            end=format_date_local(result.end),
        ),
        show_legend=True,
        legend_at_bottom=True,
        legend_at_bottom_columns=2,
        print_values=False,
        value_formatter=lambda value: format_number(int(value or 0)),
        show_x_guides=False,
        show_y_guides=True,
        x_label_rotation=0,
        truncate_label=-1,
        truncate_legend=-1,
        margin=16,
        margin_right=32,
        spacing=10,
        range=(0, ticks[-1]),
        include_x_axis=True,
        tooltip_border_radius=0,
        no_data_text=_("Noch keine Fachbereiche"),
    )
    chart.add_xml_filter(without_scripts)
    chart.x_labels = [r.name for r in rows]
    chart.y_labels = ticks
    for kind, label in kind_labels().items():
        values: list[Any] = [getattr(r, kind) for r in rows]
        chart.add(label, values)
    return chart.render()
