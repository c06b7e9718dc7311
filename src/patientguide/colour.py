"""Colours for accessible brands: WCAG 2.x contrast, the nearest shade that passes, and lighter or
darker shades of a brand colour."""

from __future__ import annotations

import colorsys

#: WCAG 2.2 AA for normal text.
AA = 4.5
WHITE, BLACK = "#ffffff", "#000000"


def rgb(hex_colour: str) -> tuple[float, float, float]:
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    return tuple(int(h[i:i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def to_hex(value: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02x}" for c in value)


def luminance(hex_colour: str) -> float:
    """WCAG 2.x relative luminance."""
    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (lin(c) for c in rgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio between two colours (1 to 21)."""
    la, lb = luminance(a), luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def nearest_passing(colour: str, against: str, ratio: float = AA) -> str | None:
    """The shade of ``colour`` (same hue and saturation, lightness moved as little as possible)
    that reaches ``ratio`` against ``against``; ``None`` if no shade does."""
    if contrast(colour, against) >= ratio:
        return to_hex(rgb(colour))
    h, lightness0, s = colorsys.rgb_to_hls(*rgb(colour))
    best: tuple[float, str] | None = None
    for direction in (-1, 1):
        step = 0
        while True:
            step += 1
            lightness = lightness0 + direction * step * 0.0025
            if not 0.0 <= lightness <= 1.0:
                break
            candidate = to_hex(colorsys.hls_to_rgb(h, lightness, s))
            if contrast(candidate, against) >= ratio:
                if best is None or abs(lightness - lightness0) < best[0]:
                    best = (abs(lightness - lightness0), candidate)
                break
    return best[1] if best else None


def shade(colour: str, lightness_delta: float) -> str:
    h, lightness0, s = colorsys.rgb_to_hls(*rgb(colour))
    return to_hex(colorsys.hls_to_rgb(h, max(0.0, min(1.0, lightness0 + lightness_delta)), s))
