"""Charts as inline SVG, drawn at build time: no script, no web font, no request.

Inline rather than `<img src=chart.svg>` so the page's stylesheet colours them: the bars
follow the theme's primary colour and the text follows light or dark mode. Each chart
carries a `<title>` and a `<desc>` with its numbers for screen readers, and the pages put
the same figures in a table beside it.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 20, 52


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    note: str = ""
    kind: str = ""


@dataclass(frozen=True)
class Point:
    """One x position of a line chart; `value` None leaves a gap and says why in `note`."""

    label: str
    value: float | None
    low: float | None = None
    high: float | None = None
    note: str = ""


@dataclass(frozen=True)
class Series:
    name: str
    kind: str
    values: Sequence[float]


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _n(value: float) -> str:
    """Coordinates with one decimal: stable bytes, sharp enough for a 640px chart."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _svg(
    key: str, title: str, desc: str, body: list[str], height: int = HEIGHT, kind: str = ""
) -> str:
    css = f"icp-chart icp-chart--{kind}" if kind else "icp-chart"
    head = (
        f'<svg class="{css}" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
        f'height="{height}" role="img" aria-labelledby="{key}-title {key}-desc" '
        f'xmlns="http://www.w3.org/2000/svg">'
    )
    return "".join(
        [
            head,
            f'<title id="{key}-title">{_e(title)}</title>',
            f'<desc id="{key}-desc">{_e(desc)}</desc>',
            *body,
            "</svg>",
        ]
    )


def figure(svg: str, caption: str, key: str) -> str:
    """A raw HTML block Markdown leaves alone: it must sit on lines of its own."""
    return (
        f'<figure class="icp-figure" id="{key}">{svg}'
        f"<figcaption>{_e(caption)}</figcaption></figure>\n"
    )


# A tick label is given the gridline's value and the decimals that show it exactly.
Tick = Callable[[float, int], str]


def plain_tick(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}"


def percent_tick(value: float, decimals: int) -> str:
    """A share: the decimals are those of the share, two fewer in percent."""
    return f"{value:.{max(decimals - 2, 0)}%}"


def times_tick(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}x"


@dataclass(frozen=True)
class Scale:
    """A value axis whose gridlines sit at round numbers: multiples of 1, 2, 2.5 or 5
    times a power of ten, so each gridline can be labelled with its exact value."""

    bottom: float
    top: float
    step: float

    @property
    def steps(self) -> int:
        return round((self.top - self.bottom) / self.step)

    @property
    def decimals(self) -> int:
        """The fewest decimals that write every multiple of the step exactly."""
        return next(d for d in range(12) if abs(round(self.step, d) - self.step) < 1e-9)

    def ticks(self) -> list[float]:
        return [round(self.bottom + self.step * i, 12) for i in range(self.steps + 1)]


def nice_scale(top: float, bottom: float = 0.0, most: int = 5) -> Scale:
    """The axis from `bottom` to at least `top` in the smallest round step that needs
    no more than `most` steps."""
    span = (top - bottom) or 1.0
    magnitude = 10.0 ** math.floor(math.log10(span / most))
    for step in (m * magnitude * k for k in (1, 10, 100) for m in (1, 2, 2.5, 5)):
        low = math.floor(bottom / step + 1e-9) * step
        high = math.ceil(top / step - 1e-9) * step
        if round((high - low) / step) <= most:
            return Scale(round(low, 12), round(high, 12), step)
    raise AssertionError("a step of 100 times the span always fits")  # pragma: no cover


def _y_axis(scale: Scale, tick: Tick) -> list[str]:
    plot_h = HEIGHT - TOP - BOTTOM
    parts = []
    for i, value in enumerate(scale.ticks()):
        y = HEIGHT - BOTTOM - plot_h * i / scale.steps
        parts.append(
            f'<line class="icp-chart__grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" '
            f'y1="{_n(y)}" y2="{_n(y)}" data-value="{value:g}"/>'
            f'<text class="icp-chart__tick" x="{LEFT - 8}" y="{_n(y + 4)}" '
            f'text-anchor="end">{_e(tick(value, scale.decimals))}</text>'
        )
    return parts


def bar_chart(
    key: str,
    title: str,
    bars: Sequence[Bar],
    *,
    top: float,
    fmt: Callable[[float], str],
    tick: Tick = plain_tick,
    reference: tuple[float, str] | None = None,
) -> str:
    """Vertical bars from zero to `top` (rounded up to a gridline); a dashed reference line
    (overall rate, lift 1.0). `fmt` writes the values, `tick` the gridlines."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(bars), 1)
    scale = nice_scale(top)
    top = scale.top
    body = _y_axis(scale, tick)
    desc = []
    for i, bar in enumerate(bars):
        x = LEFT + slot * i
        mid = x + slot / 2
        body.append(
            f'<text class="icp-chart__label" x="{_n(mid)}" y="{HEIGHT - BOTTOM + 18}" '
            f'text-anchor="middle">{_e(bar.label)}</text>'
        )
        if bar.note:
            body.append(
                f'<text class="icp-chart__note" x="{_n(mid)}" y="{HEIGHT - BOTTOM + 36}" '
                f'text-anchor="middle">{_e(bar.note)}</text>'
            )
        if bar.value is None:
            desc.append(f"{bar.label}: no deals")
            continue
        h = plot_h * min(bar.value, top) / top if top else 0.0
        y = HEIGHT - BOTTOM - h
        kind = f" icp-chart__bar--{_e(bar.kind)}" if bar.kind else ""
        body.append(
            f'<rect class="icp-chart__bar{kind}" x="{_n(x + slot * 0.2)}" y="{_n(y)}" '
            f'width="{_n(slot * 0.6)}" height="{_n(h)}"><title>{_e(bar.label)}: '
            f"{_e(fmt(bar.value))}</title></rect>"
            f'<text class="icp-chart__value" x="{_n(mid)}" y="{_n(y - 6)}" '
            f'text-anchor="middle">{_e(fmt(bar.value))}</text>'
        )
        desc.append(f"{bar.label}: {fmt(bar.value)}" + (f" ({bar.note})" if bar.note else ""))
    if reference is not None and top:
        value, label = reference
        y = HEIGHT - BOTTOM - plot_h * min(value, top) / top
        body.append(
            f'<line class="icp-chart__reference" x1="{LEFT}" x2="{WIDTH - RIGHT}" '
            f'y1="{_n(y)}" y2="{_n(y)}"/>'
            f'<text class="icp-chart__reference-label" x="{WIDTH - RIGHT}" y="{_n(y - 6)}" '
            f'text-anchor="end">{_e(label)}</text>'
        )
        desc.append(label)
    return _svg(key, title, "; ".join(desc), body)


def grouped_bars(
    key: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    top: float,
    fmt: Callable[[float], str],
    tick: Tick = plain_tick,
) -> str:
    """Several series side by side per label (wins beside losses), with a legend."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(labels), 1)
    width = slot * 0.8 / max(len(series), 1)
    scale = nice_scale(top)
    top = scale.top
    body = _y_axis(scale, tick)
    for i, label in enumerate(labels):
        body.append(
            f'<text class="icp-chart__label" x="{_n(LEFT + slot * (i + 0.5))}" '
            f'y="{HEIGHT - BOTTOM + 18}" text-anchor="middle">{_e(label)}</text>'
        )
    for s, one in enumerate(series):
        for i, value in enumerate(one.values):
            h = plot_h * min(value, top) / top if top else 0.0
            x = LEFT + slot * i + slot * 0.1 + width * s
            body.append(
                f'<rect class="icp-chart__bar icp-chart__bar--{_e(one.kind)}" x="{_n(x)}" '
                f'y="{_n(HEIGHT - BOTTOM - h)}" width="{_n(width)}" height="{_n(h)}">'
                f"<title>{_e(one.name)}, {_e(labels[i])}: {_e(fmt(value))}</title></rect>"
            )
        lx = LEFT + 8 + s * 120
        body.append(
            f'<rect class="icp-chart__bar icp-chart__bar--{_e(one.kind)}" x="{lx}" '
            f'y="{HEIGHT - 18}" width="12" height="12"/>'
            f'<text class="icp-chart__note" x="{lx + 18}" y="{HEIGHT - 8}">{_e(one.name)}</text>'
        )
    desc = [
        f"{one.name}: "
        + ", ".join(f"{label} {fmt(v)}" for label, v in zip(labels, one.values, strict=True))
        for one in series
    ]
    return _svg(key, title, "; ".join(desc), body)


def _short(label: str, limit: int = 34) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def horizontal_bars(
    key: str, title: str, bars: Sequence[Bar], *, fmt: Callable[[float], str]
) -> str:
    """One row per item, longest bar = largest value; for weights and similar shares."""
    row, label_w = 28, 220
    height = TOP + row * len(bars) + 8
    top = max((b.value or 0.0 for b in bars), default=0.0) or 1.0
    plot_w = WIDTH - label_w - RIGHT - 56
    body = []
    for i, bar in enumerate(bars):
        y = TOP + row * i
        value = bar.value or 0.0
        w = plot_w * value / top
        kind = f" icp-chart__bar--{_e(bar.kind)}" if bar.kind else ""
        body.append(
            f'<text class="icp-chart__label" x="{label_w - 8}" y="{y + 17}" '
            f'text-anchor="end">{_e(_short(bar.label))}</text>'
            f'<rect class="icp-chart__bar{kind}" x="{label_w}" y="{y + 4}" width="{_n(w)}" '
            f'height="{row - 10}"><title>{_e(bar.label)}: {_e(fmt(value))}</title></rect>'
            f'<text class="icp-chart__value" x="{_n(label_w + w + 6)}" y="{y + 17}">'
            f"{_e(fmt(value))}</text>"
        )
    desc = "; ".join(f"{b.label}: {fmt(b.value or 0.0)}" for b in bars)
    return _svg(key, title, desc, body, height=height, kind="rows")


def line_chart(
    key: str,
    title: str,
    points: Sequence[Point],
    *,
    bottom: float,
    top: float,
    fmt: Callable[[float], str],
    tick: Tick = plain_tick,
    reference: tuple[float, str] | None = None,
) -> str:
    """A value per period joined by a line, with its interval as a whisker; a point without
    a value breaks the line (a period too small to measure is not drawn as a zero)."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(points), 1)
    scale = nice_scale(top, bottom)
    bottom, top = scale.bottom, scale.top
    span = (top - bottom) or 1.0
    # Every label fits up to about a dozen periods; beyond, every second or third is shown.
    every = -(-len(points) // 12) or 1

    def y_of(value: float) -> float:
        return HEIGHT - BOTTOM - plot_h * (min(max(value, bottom), top) - bottom) / span

    grid = _y_axis(scale, tick)
    body: list[str] = []
    desc: list[str] = []
    run: list[str] = []
    runs: list[list[str]] = []
    for i, point in enumerate(points):
        mid = LEFT + slot * (i + 0.5)
        if i % every == 0:
            body.append(
                f'<text class="icp-chart__label" x="{_n(mid)}" y="{HEIGHT - BOTTOM + 18}" '
                f'text-anchor="middle">{_e(point.label)}</text>'
            )
            if point.note and every == 1:
                body.append(
                    f'<text class="icp-chart__note" x="{_n(mid)}" y="{HEIGHT - BOTTOM + 36}" '
                    f'text-anchor="middle">{_e(point.note)}</text>'
                )
        if point.value is None:
            desc.append(f"{point.label}: {point.note or 'no value'}")
            runs.append(run)
            run = []
            continue
        run.append(f"{_n(mid)},{_n(y_of(point.value))}")
        shown = fmt(point.value)
        if point.low is not None and point.high is not None:
            body.append(
                f'<line class="icp-chart__whisker" x1="{_n(mid)}" x2="{_n(mid)}" '
                f'y1="{_n(y_of(point.low))}" y2="{_n(y_of(point.high))}"/>'
            )
            shown += f" ({fmt(point.low)}-{fmt(point.high)})"
        body.append(
            f'<circle class="icp-chart__point" cx="{_n(mid)}" cy="{_n(y_of(point.value))}" '
            f'r="4"><title>{_e(point.label)}: {_e(shown)}</title></circle>'
        )
        desc.append(f"{point.label}: {shown}" + (f" ({point.note})" if point.note else ""))
    runs.append(run)
    lines = [
        f'<polyline class="icp-chart__line" points="{" ".join(r)}"/>' for r in runs if len(r) > 1
    ]
    if reference is not None:
        value, label = reference
        y = y_of(value)
        body.append(
            f'<line class="icp-chart__reference" x1="{LEFT}" x2="{WIDTH - RIGHT}" '
            f'y1="{_n(y)}" y2="{_n(y)}"/>'
            f'<text class="icp-chart__reference-label" x="{WIDTH - RIGHT}" y="{_n(y - 6)}" '
            f'text-anchor="end">{_e(label)}</text>'
        )
        desc.append(label)
    # The line goes under the points and whiskers, so their titles stay reachable.
    return _svg(key, title, "; ".join(desc), grid + lines + body)
