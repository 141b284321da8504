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
}

# A file per package that exists once it is vendored (a package whose file is missing is vendored again).
DONE = {
    "requirejs": "require.js",
    "html-manager": "embed-amd.js",
    "mathjax": "mathjax/tex-chtml.js",
    "noto-sans-sc": "fonts/noto-sans-sc/noto-sans-sc.css",
}

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
        print(f"vendored {name}: {written} files -> {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
