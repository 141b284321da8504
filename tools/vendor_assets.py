"""Fetch the JavaScript and the CJK web font the built book needs, so it reads with no network at read time.

By default the HTML book loads require.js, the ipywidgets embed script and MathJax from CDNs; in a
classroom or an intranet without internet, math and widgets then do not render. A machine without a
Chinese font (a fresh Linux, many kiosks) shows every Chinese character as a box. This script fetches
pinned npm tarballs once (from the npm registry, verified against their published sha512 integrity),
and unpacks the few files the book serves into ``_build/vendor/cvm-vendor/``. ``_config.yml`` lists
``_build/vendor`` in ``html_static_path`` (deliberately not a source ``_static`` folder: Jupyter Book 1
injects every .js found there into every page) and points ``mathjax_path`` and ``nb_ipywidgets_js``
at the copies.

The font is Noto Sans SC (``@fontsource/noto-sans-sc``, SIL Open Font License 1.1), regular and bold,
as woff2 files split by unicode-range: ``cvm-vendor/fonts/noto-sans-sc/noto-sans-sc.css`` declares one
``@font-face`` per piece, so a page downloads only the pieces holding the characters it shows.
``book/_ext/cvm_book.py`` adds that stylesheet to every page and ``cvm_book.css`` puts the family in
the font stacks (with the usual local fonts after it).

The slides (``tools/build_slides.py``) present with reveal.js 5 (``reveal.js`` on npm, MIT): its
``dist/`` script and stylesheet, the "white" theme with its own Source Sans Pro font files, and the
speaker-notes plugin (``plugin/notes/notes.js``, which carries the speaker view inline). They go to
``cvm-vendor/reveal.js/`` in the layout nbconvert's reveal template addresses
(``<prefix>/dist/reveal.js``, ``<prefix>/dist/theme/<theme>.css``, ``<prefix>/plugin/notes/notes.js``).
Version 5.2.1 because it is the newest release with that layout: 6.x moved the plugins to
``dist/plugin/notes.js``; 5.x keeps the API of 4.0.2 (the template's default, a CDN address, from 2020:
``Reveal.initialize`` with ``plugins``, the UMD scripts) with four years of fixes on top. A theme
stylesheet keeps no ``@import`` of another host's fonts (several reveal themes import Google Fonts):
such imports are removed and any remaining address outside the package is refused
(:func:`offline_stylesheet`).

Usage: ``python tools/vendor_assets.py [--dest _build/vendor]``
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import os
import re
import sys
import tarfile
import urllib.request
from pathlib import Path

REGISTRY = os.environ.get("NPM_REGISTRY", "https://registry.npmjs.org").rstrip("/")

# name, version, tarball path on the registry, sha512 integrity as published (npm view NAME dist.integrity)
PACKAGES = {
    "html-manager": (
        "@jupyter-widgets/html-manager/-/html-manager-1.0.15.tgz",
        "sha512-5thBIV6ymNgmPVOHvzx+gGy8ZSKmSazhtGw4/c4xJDVzRhG9PTeQsRjF3FUTopvFi//SABeNz1yp47bCrJ3CQA==",
    ),
    "requirejs": (
        "requirejs/-/requirejs-2.3.8.tgz",
        "sha512-7/cTSLOdYkNBNJcDMWf+luFvMriVm7eYxp4BcFCsAX0wF421Vyce5SXP17c+Jd5otXKGNehIonFlyQXSowL6Mw==",
    ),
    "mathjax": (
        "mathjax/-/mathjax-3.2.2.tgz",
        "sha512-Bt+SSVU8eBG27zChVewOicYs7Xsdt40qm4+UpHyX7k0/O9NliPc+x77k1/FEsPsjKPZGJvtRZM1vO+geW0OhGw==",
    ),
    "noto-sans-sc": (
        "@fontsource/noto-sans-sc/-/noto-sans-sc-5.3.0.tgz",
        "sha512-HeqIlGm0+ohOKxZLuHj1qW6r6avHH0OWdKERAcSDI0RQ+MXrteuLKA+M+5eOA8rYy0MFvOR5AT0fQo2rUkye0Q==",
    ),
    "reveal.js": (
        "reveal.js/-/reveal.js-5.2.1.tgz",
        "sha512-r7//6mIM5p34hFiDMvYfXgyjXqGRta+/psd9YtytsgRlrpRzFv4RbH76TXd2qD+7ZPZEbpBDhdRhJaFgfQ7zNQ==",
    ),
}

# what to copy: package -> list of (member prefix inside the tarball, destination below cvm-vendor/)
WANTED = {
    "requirejs": [("package/require.js", "require.js")],
    # embed-amd.js plus the icon fonts its CSS references
    "html-manager": [("package/dist/", "")],
    # es5/ holds tex-chtml.js and the fonts/extensions it loads relative to itself
    "mathjax": [("package/es5/", "mathjax/")],
    # the licence; the woff2 pieces and their stylesheet are written by vendor_font()
    "noto-sans-sc": [("package/LICENSE", "fonts/noto-sans-sc/LICENSE")],
    # the script, its stylesheet, the notes plugin (speaker view) and the theme's font files; the theme
    # stylesheets themselves are written by vendor_reveal_themes() (checked to stay on this machine)
    "reveal.js": [("package/LICENSE", "reveal.js/LICENSE"),
                  ("package/dist/reveal.js", "reveal.js/dist/reveal.js"),
                  ("package/dist/reveal.css", "reveal.js/dist/reveal.css"),
                  ("package/plugin/notes/notes.js", "reveal.js/plugin/notes/notes.js"),
                  ("package/dist/theme/fonts/source-sans-pro/", "reveal.js/dist/theme/fonts/source-sans-pro/")],
}

# A file per package that exists once it is vendored (a package whose file is missing is vendored again).
DONE = {
    "requirejs": "require.js",
    "html-manager": "embed-amd.js",
    "mathjax": "mathjax/tex-chtml.js",
    "noto-sans-sc": "fonts/noto-sans-sc/noto-sans-sc.css",
    "reveal.js": "reveal.js/dist/theme/white.css",
}

#: The reveal.js themes vendored: the slides' one (``cvmlib.slides.RISE_SETTINGS["theme"]``).
REVEAL_THEMES = ("white",)
_IMPORT = re.compile(r"@import\s+url\(\s*['\"]?(?P<url>[^)'\"]+)['\"]?\s*\)[^;]*;\s*")
_URL = re.compile(r"url\(\s*['\"]?(?P<url>[^)'\"]+)['\"]?\s*\)")

# The CJK web font: which weights (regular for text, bold for <strong>, table headers and titles) and
# where it goes. Only the woff2 pieces are kept: every browser that runs the book reads woff2.
FONT_DIR = "fonts/noto-sans-sc"
FONT_CSS = f"{FONT_DIR}/noto-sans-sc.css"
FONT_WEIGHTS = (400, 700)
_WOFF_FALLBACK = re.compile(r",\s*url\([^)]*\.woff\)\s*format\(['\"]woff['\"]\)")
_WOFF2_URL = re.compile(r"url\(\./(files/[^)]+\.woff2)\)")


def fetch(name: str, cache: Path) -> bytes:
    """Return the verified tarball bytes of one package, downloading it once into ``cache``."""
    path, integrity = PACKAGES[name]
    cached = cache / Path(path).name
    if cached.exists():
        data = cached.read_bytes()
    else:
        with urllib.request.urlopen(f"{REGISTRY}/{path}", timeout=120) as response:
            data = response.read()
    digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if digest != integrity:
        cached.unlink(missing_ok=True)
        raise SystemExit(f"{name}: integrity mismatch (got {digest[:24]}..., want {integrity[:24]}...)")
    cache.mkdir(parents=True, exist_ok=True)
    cached.write_bytes(data)
    return data


def unpack(data: bytes, wanted: list[tuple[str, str]], target: Path) -> int:
    """Copy the wanted members of a tarball below ``target``; return how many files were written."""
    count = 0
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for member in tar.getmembers():
            if not member.isfile():
                continue
            for prefix, dest in wanted:
                if member.name == prefix or (prefix.endswith("/") and member.name.startswith(prefix)):
                    relative = dest if not prefix.endswith("/") else dest + member.name[len(prefix):]
                    out = target / relative
                    out.parent.mkdir(parents=True, exist_ok=True)
                    extracted = tar.extractfile(member)
                    assert extracted is not None
                    out.write_bytes(extracted.read())
                    count += 1
    return count


def font_stylesheet(css_by_weight: dict[int, str]) -> tuple[str, list[str]]:
    """The ``@font-face`` rules of the wanted weights, woff2 only; and the woff2 files they name.

    ``css_by_weight`` holds fontsource's ``<weight>.css`` files (one rule per unicode-range piece, with
    ``url(./files/...)`` relative to the stylesheet). The rules are kept as published, minus the woff
    fallback of each ``src``.
    """
    parts = ["/* Noto Sans SC (@fontsource/noto-sans-sc, SIL Open Font License 1.1: see LICENSE), vendored by\n"
             "   tools/vendor_assets.py. One @font-face per unicode-range piece: a page loads only the pieces\n"
             "   holding the characters it shows. */\n"]
    files: list[str] = []
    for weight in sorted(css_by_weight):
        css = _WOFF_FALLBACK.sub("", css_by_weight[weight])
        files += _WOFF2_URL.findall(css)
        parts.append(css.strip() + "\n")
    if not files or ".woff)" in "".join(parts):
        raise SystemExit("noto-sans-sc: unexpected stylesheet layout (no woff2 url, or a woff url left)")
    return "\n".join(parts), sorted(set(files))


def vendor_font(data: bytes, target: Path) -> int:
    """Write the font's woff2 pieces and its stylesheet below ``target/FONT_DIR``; return the number of files."""
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        def read(name: str) -> bytes:
            extracted = tar.extractfile(f"package/{name}")
            assert extracted is not None, name
            return extracted.read()

        css, files = font_stylesheet({weight: read(f"{weight}.css").decode("utf-8") for weight in FONT_WEIGHTS})
        folder = target / FONT_DIR
        for name in files:
            out = folder / name
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(read(name))
    # the stylesheet last: it is the package's "done" marker
    (target / FONT_CSS).write_text(css, encoding="utf-8")
    return len(files) + 1


def offline_stylesheet(css: str, name: str = "stylesheet") -> str:
    """``css`` without ``@import`` of another host; refused if any other address outside its folder remains.

    Several reveal.js themes begin with ``@import url(https://fonts.googleapis.com/...)``: offline the
    import fails (and online it tells Google who presents what). The theme's font stack names local
    fallbacks after the imported family, so the import is simply dropped. Any other ``url()`` must be
    relative (a file shipped beside the theme) or a ``data:`` address.

    Examples
    --------
    >>> offline_stylesheet("@import url(https://fonts.googleapis.com/css?family=Lato);\\n.x { color: red }")
    '.x { color: red }'
    >>> offline_stylesheet("@import url(./fonts/a.css);")
    '@import url(./fonts/a.css);'
    >>> offline_stylesheet(".x { background: url(//cdn.example.com/a.png) }", "t.css")
    Traceback (most recent call last):
    ...
    SystemExit: t.css: an address on another host is left: //cdn.example.com/a.png
    """
    def drop_remote(match: re.Match[str]) -> str:
        return "" if _remote(match.group("url")) else match.group(0)

    css = _IMPORT.sub(drop_remote, css)
    for match in _URL.finditer(css):
        if _remote(match.group("url")):
            raise SystemExit(f"{name}: an address on another host is left: {match.group('url')}")
    return css


def _remote(url: str) -> bool:
    return bool(re.match(r"^([a-z][a-z0-9+.-]*:)?//", url.strip(), re.I)) and not url.startswith("data:")


def vendor_reveal_themes(data: bytes, target: Path, themes: tuple[str, ...] = REVEAL_THEMES) -> int:
    """Write the wanted reveal.js theme stylesheets, made offline (:func:`offline_stylesheet`); return how many."""
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for theme in themes:
            extracted = tar.extractfile(f"package/dist/theme/{theme}.css")
            assert extracted is not None, theme
            css = offline_stylesheet(extracted.read().decode("utf-8"), f"reveal.js theme {theme}")
            out = target / "reveal.js" / "dist" / "theme" / f"{theme}.css"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(css, encoding="utf-8")  # last: the package's "done" marker
    return len(themes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dest", default="_build/vendor", type=Path)
    parser.add_argument("--cache", default="_build/vendor-cache", type=Path)
    args = parser.parse_args(argv)
    target = args.dest / "cvm-vendor"
    # Package by package, so that adding one (the font) leaves the others in place for builds under way.
    for name, wanted in WANTED.items():
        if (target / DONE[name]).exists():
            continue
        data = fetch(name, args.cache)
        written = unpack(data, wanted, target)
        if name == "noto-sans-sc":
            written += vendor_font(data, target)
        if name == "reveal.js":
            written += vendor_reveal_themes(data, target)
        print(f"vendored {name}: {written} files -> {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
