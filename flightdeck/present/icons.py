"""The Making Data Count icons (NHS England's statistical process control convention) as inline
SVG: a variation icon for what the latest month's value says (common cause, or a special cause
that is an improvement, a concern, or a change in a measure that is context only, high or low)
and an assurance icon for what the process limits say about a target (consistently met,
consistently missed, or hit and miss).

Each icon is a filled circle in the palette's meaning colour (grey ordinary variation, blue
improvement or pass, orange concern or fail, purple context) carrying a letter (H or L, P or F)
and a few dots drawn with the chart's markers (diamond improvement, square concern, circle
context), so colour never carries the meaning alone. Every icon is an image with its words as
accessible name and title. Pure functions: keys in, SVG text out.
"""

import base64
import html

from flightdeck.present.style import BLUE, GREY, INK, ORANGE, PURPLE

COMMON_CAUSE = "common_cause"
VARIATION_WORDS: dict[str, str] = {
    COMMON_CAUSE: "Common cause: ordinary variation, no signal",
    "improvement_high": "Special cause improvement: higher than expected",
    "improvement_low": "Special cause improvement: lower than expected",
    "concern_high": "Special cause concern: higher than expected",
    "concern_low": "Special cause concern: lower than expected",
    "neutral_high": "Special cause in a context measure: higher than expected",
    "neutral_low": "Special cause in a context measure: lower than expected",
}
ASSURANCE_WORDS: dict[str, str] = {
    "consistent_pass": "The process will consistently meet the target",
    "consistent_fail": "The process will consistently miss the target unless something changes",
    "inconsistent": "Hit and miss: the target lies within the process limits",
}
# What a variation's first word means, for colour and marker.
_MEANING_COLOUR = {"common": GREY, "improvement": BLUE, "concern": ORANGE, "neutral": PURPLE}
_MEANING_MARKER = {"improvement": "diamond", "concern": "square", "neutral": "circle"}
_ASSURANCE_STYLE = {"consistent_pass": (BLUE, "P"), "consistent_fail": (ORANGE, "F")}
_FONT = "Source Sans Pro, Arial, sans-serif"
_XS = (22, 36, 50, 64, 78)  # five dots across the circle
_DOT = 6.5  # a dot's radius in the 100-wide view box


def _luminance(colour: str) -> float:
    """Relative luminance of a #RRGGBB colour (WCAG 2)."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two #RRGGBB colours (1 to 21)."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def ink_on(fill: str) -> str:
    """White or the palette's ink, whichever reads better on `fill`."""
    return "#FFFFFF" if contrast("#FFFFFF", fill) >= contrast(INK, fill) else INK


def _marker(shape: str, x: float, y: float, colour: str, opacity: float = 1.0) -> str:
    paint = f'fill="{colour}"' + (f' fill-opacity="{opacity}"' if opacity < 1 else "")
    if shape == "diamond":
        r = _DOT * 1.35
        return f'<path d="M{x} {y - r}L{x + r} {y}L{x} {y + r}L{x - r} {y}Z" {paint}/>'
    if shape == "square":
        s = _DOT * 1.7
        return f'<rect x="{x - s / 2}" y="{y - s / 2}" width="{s}" height="{s}" {paint}/>'
    return f'<circle cx="{x}" cy="{y}" r="{_DOT}" {paint}/>'


def _letter(text: str, colour: str, *, y: float, size: int) -> str:
    return (
        f'<text x="50" y="{y}" text-anchor="middle" font-family="{_FONT}" font-size="{size}" '
        f'font-weight="700" fill="{colour}">{text}</text>'
    )


def _svg(words: str, fill: str, body: str, size: int, css_class: str) -> str:
    label = html.escape(words, quote=True)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 100 100" role="img" aria-label="{label}" class="fd-icon {css_class}">'
        f'<title>{label}</title><circle cx="50" cy="50" r="48" fill="{fill}"/>{body}</svg>'
    )


def _check(key: str, words: dict[str, str]) -> None:
    if key not in words:
        raise ValueError(f"unknown icon {key!r}: expected one of {', '.join(words)}")


def variation_svg(key: str, size: int = 32) -> str:
    """The variation icon for a key of VARIATION_WORDS: grey with a flat line of dots for
    common cause; blue, orange or purple with H or L and its last dots climbing or falling,
    drawn as the charts' diamond, square or circle markers, for a special cause."""
    _check(key, VARIATION_WORDS)
    meaning, _, side = key.partition("_")
    fill = _MEANING_COLOUR[meaning]
    ink = ink_on(fill)
    if key == COMMON_CAUSE:
        body = f'<line x1="14" y1="55" x2="86" y2="55" stroke="{ink}" stroke-opacity="0.45"/>'
        body += "".join(
            _marker("circle", x, y, ink) for x, y in zip(_XS, (57, 50, 59, 52, 56), strict=True)
        )
        return _svg(VARIATION_WORDS[key], fill, body, size, f"fd-{key}")
    # H: the letter at the top, the last three dots climbing towards it; L: falling below it.
    letter, base, special = (
        ("H", (76, 72), (66, 58, 50)) if side == "high" else ("L", (53, 57), (64, 71, 78))
    )
    body = _letter(letter, ink, y=43, size=42)
    body += "".join(_marker("circle", x, y, ink, 0.55) for x, y in zip(_XS, base, strict=False))
    body += "".join(
        _marker(_MEANING_MARKER[meaning], x, y, ink) for x, y in zip(_XS[2:], special, strict=True)
    )
    return _svg(VARIATION_WORDS[key], fill, body, size, f"fd-{key}")


def assurance_svg(key: str, size: int = 32) -> str:
    """The assurance icon for a key of ASSURANCE_WORDS: P on blue (pass), F on orange (fail),
    and for hit and miss a grey circle whose dots zigzag across a target line."""
    _check(key, ASSURANCE_WORDS)
    if key in _ASSURANCE_STYLE:
        fill, letter = _ASSURANCE_STYLE[key]
        body = _letter(letter, ink_on(fill), y=70, size=60)
        return _svg(ASSURANCE_WORDS[key], fill, body, size, f"fd-{key}")
    ink = ink_on(GREY)
    ys = (36, 64, 40, 62, 44)
    points = " ".join(f"{x},{y}" for x, y in zip(_XS, ys, strict=True))
    body = (
        f'<line x1="10" y1="52" x2="90" y2="52" stroke="{ink}" stroke-width="5" '
        f'stroke-dasharray="9 5"/><polyline points="{points}" fill="none" stroke="{ink}" '
        f'stroke-width="3" stroke-opacity="0.7"/>'
    )
    body += "".join(_marker("circle", x, y, ink) for x, y in zip(_XS, ys, strict=True))
    return _svg(ASSURANCE_WORDS[key], GREY, body, size, f"fd-{key}")


def data_uri(svg: str) -> str:
    """An SVG as a base64 data URI, for an `<img src>` where inline SVG is not allowed."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def img_tag(svg: str, words: str) -> str:
    """The icon as an `<img>` (its words as the alternative text), where inline SVG is not
    allowed (Streamlit's `st.html` keeps only HTML)."""
    size = svg.split('width="', 1)[1].split('"', 1)[0]
    alt = html.escape(words, quote=True)
    return (
        f'<img src="{data_uri(svg)}" alt="{alt}" title="{alt}" width="{size}" height="{size}" '
        'class="fd-icon">'
    )
