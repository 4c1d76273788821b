"""Charts drawn on the server as SVG (pygal): no JavaScript, shown through <img>.

A page shows a chart next to a table with the same numbers (the text alternative), so
the chart itself carries only the stage labels and counts it draws.
"""

from __future__ import annotations

from typing import Any

import pygal
from flask_babel import format_number
from flask_babel import gettext as _
from pygal.style import Style

from ideation.entrypoints.labels import stage_label
from ideation.readmodels.views import Funnel

# An SVG shown through <img> runs no scripts and loads nothing; pygal styles it with an
# inline <style> element, which the site-wide policy (style-src 'self') would block.
# The directives the site-wide policy sets to 'none' stay 'none' (SEC-9).
SVG_CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)

# Colours against the white background: the way (the site's accent blue) and the closed
# stages (dark grey), both about 8.9:1. Nothing rests on colour: every bar is labelled with
# its stage and count, the closed stages come last, and the table below groups them.
WAY_COLOUR = "#004b87"
CLOSED_COLOUR = "#4a4a4a"
TEXT_COLOUR = "#1a1a1a"
CHART_WIDTH = 800
BAR_PITCH = 44  # pixels per stage
FONT = "system-ui, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

FUNNEL_STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground=TEXT_COLOUR,
    foreground_strong=TEXT_COLOUR,
    foreground_subtle="#8a8a8a",
    opacity="1",
    opacity_hover="1",
    transition="0ms",
    colors=(WAY_COLOUR, CLOSED_COLOUR),
    font_family=FONT,
    label_font_family=FONT,
    major_label_font_family=FONT,
    value_font_family=FONT,
    value_label_font_family=FONT,
    title_font_family=FONT,
    legend_font_family=FONT,
    tooltip_font_family=FONT,
    no_data_font_family=FONT,
    label_font_size=15,
    major_label_font_size=15,
    value_font_size=15,
    value_label_font_size=15,
    title_font_size=18,
    legend_font_size=15,
    tooltip_font_size=15,
)


class CountBars(pygal.HorizontalBar):  # type: ignore[misc]
    """Horizontal bars with each count written just right of its bar, never across it."""

    def _static_value(  # pygal 3.1.3 (pinned) calls this for every printed value
        self,
        serie_node: Any,
        value: Any,
        x: float,
        y: float,
        metadata: Any,
        align_text: str = "left",
        classes: Any = None,
    ) -> None:
        # pygal centres the count half a character past the bar's end; start it there.
        super()._static_value(serie_node, value, x, y, metadata, "start", classes)


def without_scripts(root: Any) -> Any:
    """Drop the <script> pygal always writes (its configuration for interactive charts)."""
    for parent in list(root.iter()):
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return root


def count_ticks(highest: int, most: int = 6) -> list[int]:
    """At most `most` whole-number ticks from 0 to at least `highest` (steps 1, 2, 5, 10 …)."""
    step = 1
    while highest > step * (most - 1):
        step = step * 5 // 2 if str(step).startswith("2") else step * 2
    top = max(step, -(-highest // step) * step)
    return list(range(0, top + 1, step))


def funnel_chart_size(funnel: Funnel) -> tuple[int, int]:
    """Width and height of the funnel chart (an <img> states them to keep its place)."""
    return CHART_WIDTH, 80 + BAR_PITCH * len(funnel.stages)


def funnel_chart_svg(funnel: Funnel) -> bytes:
    """A horizontal bar per stage (the way from top to bottom, then the closed stages).

    Labels follow the current language; each bar has its count printed beside it.
    """
    # pygal draws the first label at the bottom: reverse, so "Eingereicht" is on top.
    stages = tuple(reversed(funnel.stages))
    ticks = count_ticks(max((s.count for s in stages), default=0))
    width, height = funnel_chart_size(funnel)
    chart = CountBars(
        style=FUNNEL_STYLE,
        js=[],
        width=width,
        height=height,
        title=_("Ideen je Stand"),
        show_legend=False,
        print_values=True,
        print_values_position="top",
        value_formatter=lambda value: format_number(int(value)),
        show_x_guides=False,
        show_y_guides=True,
        x_label_rotation=0,
        truncate_label=-1,
        margin=16,
        margin_right=56,  # room for a count beside the longest bar
        spacing=12,
        range=(0, ticks[-1]),
        include_x_axis=True,
        tooltip_border_radius=0,
        no_data_text=_("Noch keine Ideen"),
    )
    chart.add_xml_filter(without_scripts)
    chart.x_labels = [stage_label(s.stage) for s in stages]
    chart.y_labels = ticks
    chart.add(
        _("Ideen"),
        [
            {
                "value": s.count,
                "color": CLOSED_COLOUR if s.closed else WAY_COLOUR,
                "label": stage_label(s.stage),
            }
            for s in stages
        ],
    )
    return chart.render()
