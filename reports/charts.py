"""Charts over time for the report, drawn as SVG like the others (`approvals.documents.charts`), so a
chart is the same on the page, in the PDFs and as a download."""

import math

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from approvals.documents.charts import legend_svg

LINE_COLOUR = "#1d2430"
GRID_COLOUR = "#e3e7ee"
TEXT_COLOUR = "#1d2430"
MUTED_COLOUR = "#5b6472"


def _nice_ceiling(value: int) -> int:
    """The axis top: `value` rounded up to 1, 2 or 5 times a power of ten (at least 1)."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def column_chart_svg(
    labels: list[str],
    rows: list[list[int]],
    *,
    colours: list[str],
    legend: list[str],
    title: str,
    line: list[int] | None = None,
    line_label: str = "",
    width: int = 640,
    plot_height: int = 170,
) -> SafeString:
    """Stacked columns, one per label (a month), segments bottom to top in `colours` order, each column's
    total above it; `line`, if given, is a second series on the same scale drawn as a line with points
    (its values in the legend's last entry). Every value is also in the SVG's title elements, so a reader
    of the file, or a screen reader, gets the numbers, not only the shapes."""
    left, right, top = 34, 8, 16
    series_high = max((sum(values) for values in rows), default=0)
    high = _nice_ceiling(max(series_high, max(line or [0], default=0)))
    slot = (width - left - right) / max(len(labels), 1)
    column = max(4.0, slot * 0.62)
    scale = plot_height / high
    baseline = top + plot_height

    grid = format_html_join(
        "",
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/><text x="{}" y="{}" text-anchor="end" '
        'font-size="10" fill="{}">{}</text>',
        [
            (
                left,
                round(baseline - v * scale, 1),
                width - right,
                round(baseline - v * scale, 1),
                GRID_COLOUR,
                left - 4,
                round(baseline - v * scale + 3, 1),
                MUTED_COLOUR,
                v,
            )
            for v in sorted({0, high // 2, high})
        ],
    )
    parts, totals, ticks = [], [], []
    for i, (label, values) in enumerate(zip(labels, rows, strict=True)):
        x = left + i * slot + (slot - column) / 2
        y = float(baseline)
        described = ", ".join(f"{name} {value}" for name, value in zip(legend, values, strict=False) if value)
        for value, colour in zip(values, colours, strict=True):
            if value:
                h = value * scale
                y -= h
                parts.append((round(x, 1), round(y, 1), round(column, 1), round(h, 1), colour, f"{label}: {described}"))
        total = sum(values)
        if total:
            totals.append((round(x + column / 2, 1), round(y - 3, 1), total))
        ticks.append((round(x + column / 2, 1), baseline + 13, label))
    body = format_html_join("", '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>', parts)
    body += format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle" font-size="10" fill="{}">{}</text>',
        [(x, y, TEXT_COLOUR, total) for x, y, total in totals],
    )
    body += format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle" font-size="10" fill="{}">{}</text>',
        [(x, y, MUTED_COLOUR, label) for x, y, label in ticks],
    )
    key_items = list(zip(colours, legend, strict=True))
    if line is not None:
        points = [
            (round(left + i * slot + slot / 2, 1), round(baseline - value * scale, 1), value, label)
            for i, (value, label) in enumerate(zip(line, labels, strict=True))
        ]
        body += format_html(
            '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>',
            " ".join(f"{x},{y}" for x, y, _, _ in points),
            LINE_COLOUR,
        )
        body += format_html_join(
            "",
            '<circle cx="{}" cy="{}" r="3" fill="{}"><title>{}: {} {}</title></circle>',
            [(x, y, LINE_COLOUR, label, line_label, value) for x, y, value, label in points],
        )
        key_items.append((LINE_COLOUR, f"{line_label} (line)"))
    key, key_height = legend_svg(key_items, y=baseline + 24, width=width, x0=left)
    height = baseline + 24 + key_height + 4
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" '
        'aria-label="{title}"><title>{title}</title>{grid}{body}{key}</svg>',
        w=width,
        h=height,
        title=title,
        grid=grid,
        body=body,
        key=key,
    )
