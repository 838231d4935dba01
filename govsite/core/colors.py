"""Site theme colours: WCAG 2.x relative luminance and contrast ratio, the darker shade used for the
navigation bar, and the validator that keeps white header text readable (≥ 4.5:1, GB/T 37668 / WCAG
1.4.3 and the 适老化 spec's contrast rule)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

HEX_COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_THEME = "#b71c1c"
WHITE = "#ffffff"
MIN_CONTRAST = 4.5  # normal-size text, level AA
DARKEN_BY = 0.2  # the navigation bar is the theme colour about 20 % darker


def parse_hex(color: str) -> tuple[int, int, int]:
    """``#rrggbb`` as three 0–255 channels; ValueError for anything else."""
    if not HEX_COLOR_RE.match(color):
        raise ValueError(f"not a #rrggbb colour: {color!r}")
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def to_hex(rgb: tuple[int, int, int]) -> str:
    return "#" + "".join(f"{max(0, min(255, c)):02x}" for c in rgb)


def _linear(channel: int) -> float:
    value = channel / 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def relative_luminance(color: str) -> float:
    """WCAG relative luminance of ``#rrggbb``: 0 for black, 1 for white."""
    r, g, b = (_linear(c) for c in parse_hex(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio between two colours, from 1 (same) to 21 (black on white)."""
    a, b = relative_luminance(first), relative_luminance(second)
    lighter, darker = max(a, b), min(a, b)
    return (lighter + 0.05) / (darker + 0.05)


def darken(color: str, amount: float = DARKEN_BY) -> str:
    """``color`` with each channel scaled down by ``amount`` (0.2 = 20 % darker)."""
    r, g, b = parse_hex(color)
    return to_hex((round(r * (1 - amount)), round(g * (1 - amount)), round(b * (1 - amount))))


def validate_theme_color(value: str) -> None:
    """A site theme colour: ``#rrggbb`` on which white text reaches 4.5:1."""
    if not HEX_COLOR_RE.match(value or ""):
        raise ValidationError("主题色须为 #rrggbb 格式的十六进制颜色，如 #b71c1c", code="invalid_theme_color")
    ratio = contrast_ratio(value, WHITE)
    if ratio < MIN_CONTRAST:
        raise ValidationError(
            f"主题色 {value.lower()} 上的白色文字对比度只有 {ratio:.2f}:1，低于无障碍要求的 4.5:1，"
            "页头和导航文字将难以辨认，请选择更深的颜色",
            code="low_contrast_theme_color",
        )
