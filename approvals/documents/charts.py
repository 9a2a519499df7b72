"""Charts drawn as SVG on the server, so the same figure appears on a page and in a PDF."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from governance.scoring import Band, band_for_score

BAND_COLOURS = {Band.LOW: "#2e8b57", Band.MEDIUM: "#e0a100", Band.HIGH: "#e06c00", Band.CRITICAL: "#c0262d"}
BAND_TEXT = {Band.LOW: "#ffffff", Band.MEDIUM: "#1d2430", Band.HIGH: "#1d2430", Band.CRITICAL: "#ffffff"}


def heat_map_svg(counts: dict[tuple[int, int], int], *, title: str, cell: int = 44) -> SafeString:
    """A 5×5 likelihood × impact grid, each cell coloured by its band and labelled with its count.

    `counts` maps (likelihood, impact) to how many risks sit there; empty cells show nothing.
    """
    left, top = 70, 10
    width, height = left + 5 * cell + 10, top + 5 * cell + 50
    cells = []
    for likelihood in range(1, 6):
        for impact in range(1, 6):
            band = band_for_score(likelihood * impact)
            x, y = left + (impact - 1) * cell, top + (5 - likelihood) * cell
            count = counts.get((likelihood, impact), 0)
            cells.append(
                (
                    x,
                    y,
                    cell - 2,
                    cell - 2,
                    BAND_COLOURS[band],
                    1.0 if count else 0.35,
                    x + cell / 2 - 1,
                    y + cell / 2 + 5,
                    BAND_TEXT[band],
                    str(count) if count else "",
                )
            )
    rects = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" fill-opacity="{}" rx="3"/>'
        '<text x="{}" y="{}" text-anchor="middle" font-size="14" font-weight="bold" fill="{}">{}</text>',
        cells,
    )
    axis = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="#5b6472">{}</text>',
        [(left + (i - 0.5) * cell, top + 5 * cell + 16, i) for i in range(1, 6)]
        + [(left - 12, top + (5.5 - i) * cell + 4, i) for i in range(1, 6)],
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" '
        'aria-label="{title}"><title>{title}</title>{rects}{axis}'
        '<text x="{cx}" y="{by}" text-anchor="middle" font-size="12" fill="#1d2430">Impact</text>'
        '<text x="14" y="{cy}" text-anchor="middle" font-size="12" fill="#1d2430" transform="rotate(-90 14 {cy})">'
        "Likelihood</text></svg>",
        w=width,
        h=height,
        title=title,
        rects=rects,
        axis=axis,
        cx=left + 2.5 * cell,
        by=top + 5 * cell + 38,
        cy=top + 2.5 * cell,
    )


def bar_chart_svg(rows: list[tuple[str, int]], *, title: str, width: int = 420, bar: int = 22) -> SafeString:
    """Horizontal bars, one per (label, value), longest first as given."""
    label_w, gap = 150, 6
    high = max((v for _, v in rows), default=0) or 1
    height = max(len(rows), 1) * (bar + gap) + 10
    bars = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="end" font-size="12" fill="#1d2430">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="#1f4fd1" rx="2"/>'
        '<text x="{}" y="{}" font-size="12" fill="#1d2430">{}</text>',
        [
            (
                label_w - 8,
                i * (bar + gap) + bar * 0.7 + 4,
                label,
                label_w,
                i * (bar + gap) + 4,
                max(2, int((width - label_w - 40) * value / high)),
                bar,
                label_w + max(2, int((width - label_w - 40) * value / high)) + 4,
                i * (bar + gap) + bar * 0.7 + 4,
                value,
            )
            for i, (label, value) in enumerate(rows)
        ],
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" '
        'aria-label="{title}"><title>{title}</title>{bars}</svg>',
        w=width,
        h=height,
        title=title,
        bars=bars,
    )


def legend_svg(items: list[tuple[str, str]], *, y: int, width: int, x0: int = 0) -> tuple[SafeString, int]:
    """Swatches and labels laid out left to right, wrapping at `width`; returns the SVG and its height."""
    placed, x, line = [], x0, 0
    for colour, label in items:
        # No text measurement on the server: ~6.5 px a character at 11 px is close enough for a legend.
        span = 16 + int(len(label) * 6.5) + 14
        if x + span > width and x > x0:
            x, line = x0, line + 1
        placed.append((x, y + line * 18, colour, x + 16, y + line * 18 + 10, label))
        x += span
    svg = format_html_join(
        "",
        '<rect x="{}" y="{}" width="11" height="11" fill="{}" rx="2"/>'
        '<text x="{}" y="{}" font-size="11" fill="#1d2430">{}</text>',
        placed,
    )
    return svg, (line + 1) * 18 if items else 0


def stacked_bar_chart_svg(
    rows: list[tuple[str, list[int]]],
    *,
    colours: list[str],
    legend: list[str] | None,
    title: str,
    width: int = 420,
    bar: int = 20,
    label_width: int = 150,
) -> SafeString:
    """Horizontal bars split into segments, one row per label, on one scale, with a legend below.

    Each row is (label, [segment values]) drawn left to right in `colours` order; the row's total is
    written after its bar; `legend` names the colours (None when the page explains them once for
    several charts). Used for exposure (high-or-critical, then the rest), status and the tier strip.
    """
    gap, value_width = 7, 40
    high = max((sum(values) for _, values in rows), default=0) or 1
    scale = (width - label_width - value_width) / high
    parts, labels = [], []
    for i, (label, values) in enumerate(rows):
        y = i * (bar + gap) + 4
        total, baseline = sum(values), y + bar * 0.7
        labels.append((label_width - 8, baseline, label, label_width + round(total * scale) + 5, baseline, total))
        x = float(label_width)
        for value, colour in zip(values, colours, strict=True):
            if value:
                w = max(2.0, value * scale)
                parts.append((round(x, 1), y, round(w, 1), bar, colour))
                x += w
    body = format_html_join("", '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>', parts) + format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="end" font-size="12" fill="#1d2430">{}</text>'
        '<text x="{}" y="{}" font-size="12" font-weight="bold" fill="#1d2430">{}</text>',
        labels,
    )
    top = max(len(rows), 1) * (bar + gap) + 10
    key, key_height = legend_svg(
        list(zip(colours, legend or (), strict=bool(legend))), y=top, width=width, x0=label_width
    )
    height = top + key_height + 4
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" '
        'aria-label="{title}"><title>{title}</title>{body}{key}</svg>',
        w=width,
        h=height,
        title=title,
        body=body,
        key=key,
    )
