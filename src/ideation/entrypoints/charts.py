"""Charts drawn on the server as SVG (pygal): no JavaScript, shown through <img>.

A page shows a chart next to a table with the same numbers (the text alternative), so
the chart itself carries only the stage labels and counts it draws.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pygal
from flask_babel import format_number
from flask_babel import gettext as _
from pygal.style import Style
from werkzeug.wrappers import Response

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


def chart_style(colours: tuple[str, ...], *, text_size: int = 15, title_size: int = 18) -> Style:
    """The planner's chart style: white, no animation, one font, large enough text."""
    fonts = {
        f"{part}_font_family": FONT
        for part in (
            "label",
            "major_label",
            "value",
            "value_label",
            "title",
            "legend",
            "tooltip",
            "no_data",
        )
    }
    sizes = {
        f"{part}_font_size": text_size
        for part in ("label", "major_label", "value", "value_label", "legend", "tooltip")
    }
    return Style(
        background="#ffffff",
        plot_background="#ffffff",
        foreground=TEXT_COLOUR,
        foreground_strong=TEXT_COLOUR,
        foreground_subtle="#8a8a8a",
        opacity="1",
        opacity_hover="1",
        transition="0ms",
        colors=colours,
        font_family=FONT,
        title_font_size=title_size,
        **fonts,
        **sizes,
    )


FUNNEL_STYLE = chart_style((WAY_COLOUR, CLOSED_COLOUR))


def svg_response(svg: bytes) -> Response:
    """An SVG chart as its own response, with the policy that lets pygal's inline style in."""
    response = Response(svg, mimetype="image/svg+xml")
    # Set before the app-wide hook, which only fills in headers still missing.
    response.headers["Content-Security-Policy"] = SVG_CONTENT_SECURITY_POLICY
    response.headers["Cache-Control"] = "no-store"
    return response


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
    return CHART_WIDTH, count_chart_height(len(funnel.stages))


@dataclass(frozen=True)
class Bar:
    """One labelled bar of a count chart."""

    label: str
    count: int
    colour: str = WAY_COLOUR


def count_bars_svg(bars: Sequence[Bar], *, title: str, series: str, no_data_text: str) -> bytes:
    """Horizontal bars, the first on top, each with its count printed beside it."""
    drawn = tuple(reversed(bars))  # pygal draws the first label at the bottom
    ticks = count_ticks(max((b.count for b in drawn), default=0))
    chart = CountBars(
        style=FUNNEL_STYLE,
        js=[],
        width=CHART_WIDTH,
        height=count_chart_height(len(bars)),
        title=title,
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
        no_data_text=no_data_text,
    )
    chart.add_xml_filter(without_scripts)
    chart.x_labels = [b.label for b in drawn]
    chart.y_labels = ticks
    chart.add(series, [{"value": b.count, "color": b.colour, "label": b.label} for b in drawn])
    svg: bytes = chart.render()
    return svg


def count_chart_height(bars: int) -> int:
    """The height of a count chart with `bars` bars (an <img> states it to keep its place)."""
    return 80 + BAR_PITCH * bars


def funnel_chart_svg(funnel: Funnel) -> bytes:
    """A horizontal bar per stage (the way from top to bottom, then the closed stages).

    Labels follow the current language; each bar has its count printed beside it.
    """
    return count_bars_svg(
        [
            Bar(stage_label(s.stage), s.count, CLOSED_COLOUR if s.closed else WAY_COLOUR)
            for s in funnel.stages
        ],
        title=_("Ideen je Stand"),
        series=_("Ideen"),
        no_data_text=_("Noch keine Ideen"),
    )
