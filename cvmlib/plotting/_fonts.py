"""The fonts of every figure: Latin and digits in DejaVu Sans, Chinese in a CJK font found offline.

matplotlib draws each character with the first font of the text's family list that has it (font
fallback, matplotlib >= 3.6). The list is :data:`FONT_FAMILIES`: DejaVu Sans first (matplotlib's
own font: Latin letters, digits and symbols look the same in both editions), then the CJK fonts.

"Noto Sans CJK SC" (SIL Open Font License) comes from the ``mplfonts`` package on PyPI, which the
project's requirements install, so a fresh Linux machine without any system CJK font still draws
Chinese. Only its font *file* is used: :func:`register_fonts` adds it to matplotlib's font manager
(``font_manager.addfont``); mplfonts' own set-up, which rewrites the user's ``matplotlibrc``, is never
run, and its ``SimHei.ttf`` (not freely licensed) is never loaded. The usual Windows and macOS fonts
follow as fallbacks on participants' machines where mplfonts is missing.

Families that are not installed are left out of the list (matplotlib would log a "findfont: Font
family ... not found" warning for each of them on every draw).

>>> fonts = font_families()
>>> fonts[0]
'DejaVu Sans'
>>> cjk_font_available()
True
"""

from __future__ import annotations

import importlib.util
import warnings
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import matplotlib
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.text import Text

from cvmlib.i18n import _, get_language

__all__ = ["CJK_FAMILIES", "FONT_FAMILIES", "apply_fonts", "cjk_font_available", "cjk_font_file",
           "font_families", "register_fonts", "use_fonts"]

#: The Chinese fonts, most preferred first: the shipped Noto Sans CJK SC, then Windows and macOS ones.
CJK_FAMILIES: tuple[str, ...] = ("Noto Sans CJK SC", "Microsoft YaHei", "SimHei", "PingFang SC", "Heiti SC",
                                 "Source Han Sans SC")

#: The font fallback list of every figure: Latin and digits first, then Chinese.
FONT_FAMILIES: tuple[str, ...] = ("DejaVu Sans", *CJK_FAMILIES)

#: The font file of the PyPI package ``mplfonts`` (OFL), relative to the package folder.
_MPLFONTS_FILE = ("fonts", "NotoSansCJKsc-Regular.otf")


def cjk_font_file() -> Path | None:
    """The Noto Sans CJK SC file shipped by ``mplfonts``, or None when the package is not installed.

    The package is located without being imported (importing it runs nothing we need).
    """
    try:
        spec = importlib.util.find_spec("mplfonts")
    except (ImportError, ValueError):
        return None
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        path = Path(folder).joinpath(*_MPLFONTS_FILE)
        if path.is_file():
            return path
    return None


@lru_cache(maxsize=1)
def register_fonts() -> tuple[str, ...]:
    """Add the shipped CJK font to matplotlib (once per process); the installed families of the list.

    Returns
    -------
    tuple of str
        :data:`FONT_FAMILIES` without the families that no installed font provides.
    """
    path = cjk_font_file()
    if path is not None:
        known = {entry.fname for entry in font_manager.fontManager.ttflist}
        if str(path) not in known:
            font_manager.fontManager.addfont(str(path))
    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    return tuple(family for family in FONT_FAMILIES if family in installed)


def font_families() -> list[str]:
    """The font list that every plot of the course uses (installed families only, DejaVu Sans first)."""
    return list(register_fonts())


def cjk_font_available() -> bool:
    """True when at least one Chinese font of :data:`CJK_FAMILIES` is installed."""
    return any(family in CJK_FAMILIES for family in register_fonts())


def _texts(ax: Axes) -> Iterable[Text]:
    """The texts of ``ax`` other than its tick labels (title, axis labels, annotations, legend).

    Not ``ax.findobj(Text)``: walking an Axis makes it compute its ticks before the figure is drawn
    (twice the work, and an error for a degenerate range that drawing itself handles).
    """
    yield ax.title
    for axis in (ax.xaxis, ax.yaxis):
        yield axis.label
        yield axis.get_offset_text()
    yield from ax.texts
    legend = ax.get_legend()
    if legend is not None:
        yield from legend.get_texts()
        yield legend.get_title()


def apply_fonts(*axes: Axes) -> None:
    """Give every text of ``axes`` (titles, labels, ticks, legends, annotations) the course's fonts.

    New tick labels that matplotlib creates later (at draw time) get the fonts too.
    """
    families = font_families()
    if get_language() == "zh" and not cjk_font_available():
        _warn_no_cjk_font()
    for ax in axes:
        for text in _texts(ax):
            text.set_fontfamily(families)
        # the tick labels there are now and those matplotlib makes at draw time
        ax.tick_params(axis="both", which="both", labelfontfamily=families)


@lru_cache(maxsize=1)
def _warn_no_cjk_font() -> None:
    """Say once that Chinese will show as boxes, and how to fix it."""
    warnings.warn(_("No Chinese font found: figure texts in Chinese will show as boxes. Install the "
                    "course's font package with: pip install mplfonts==0.0.11"), UserWarning, stacklevel=4)


def use_fonts() -> list[str]:
    """Make the course's fonts the default of every matplotlib figure of this session (opt-in).

    For figures drawn outside :mod:`cvmlib.plotting` (``df.plot()``, ``plt.title("中文")``); the
    plots of the course set their fonts themselves. Returns the list set as ``font.family``.
    """
    families = font_families()
    matplotlib.rcParams["font.family"] = families
    return families
