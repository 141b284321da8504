"""The Chinese font of the report page: a subset of Noto Sans CJK SC embedded as a base64 WOFF2.

Why: the report must read well offline on any machine, and many (this one included) have no CJK font,
so Chinese would show as boxes. The full font is 16 MB; a subset of only the characters the page uses
(fontTools, WOFF2 with brotli) is some tens of kilobytes per hundred characters. The font file is the
one ``mplfonts`` ships (SIL Open Font License), found through matplotlib's font manager after
:func:`cvmlib.plotting.font_families` has registered it.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

__all__ = ["FONT_FAMILY", "cjk_characters", "font_face_css", "noto_sans_cjk_file"]

#: The CSS family name of the embedded subset.
FONT_FAMILY = "CVM Noto Sans CJK SC"


def cjk_characters(text: str) -> str:
    """The distinct non-ASCII characters of ``text``, sorted (what the subset must hold).

    >>> cjk_characters("RFM 分群与分层")
    '与分层群'
    """
    return "".join(sorted({ch for ch in text if ord(ch) > 127 and not ch.isspace()}))


def noto_sans_cjk_file() -> Path | None:
    """The Noto Sans CJK SC file that matplotlib uses for the course's figures, or None."""
    from matplotlib import font_manager

    from cvmlib.plotting import font_families

    font_families()  # registers the shipped font with matplotlib
    for entry in font_manager.fontManager.ttflist:
        if entry.name == "Noto Sans CJK SC":
            return Path(entry.fname)
    return None


def font_face_css(text: str) -> str:
    """An ``@font-face`` rule with the subset of the characters of ``text`` (empty when none is needed)."""
    characters = cjk_characters(text)
    path = noto_sans_cjk_file()
    if not characters or path is None:
        return ""
    from fontTools import subset  # lazily: only a page with Chinese needs it

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = subset.load_font(str(path), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    buffer = io.BytesIO()
    subset.save_font(font, buffer, options)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (f"@font-face{{font-family:'{FONT_FAMILY}';font-style:normal;font-weight:400;"
            f"font-display:block;src:url(data:font/woff2;base64,{data}) format('woff2');"
            f"unicode-range:{_ranges(characters)};}}")


def _ranges(characters: str) -> str:
    """The CSS unicode-range of exactly these characters (so the font is used for them and nothing else).

    >>> _ranges("分层与群")
    'U+4E0E,U+5206,U+5C42,U+7FA4'
    """
    return ",".join(f"U+{ord(ch):04X}" for ch in sorted(set(characters)))
