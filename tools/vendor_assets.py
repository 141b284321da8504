"""Fetch the JavaScript the built book needs, so it reads with no network at read time.

By default the HTML book loads require.js, the ipywidgets embed script and MathJax from CDNs; in a
classroom or an intranet without internet, math and widgets then do not render. This script fetches
pinned npm tarballs once (from the npm registry, verified against their published sha512 integrity),
and unpacks the few files the book serves into ``_build/vendor/cvm-vendor/``. ``_config.yml`` lists
``_build/vendor`` in ``html_static_path`` (deliberately not a source ``_static`` folder: Jupyter Book 1
injects every .js found there into every page) and points ``mathjax_path`` and ``nb_ipywidgets_js``
at the copies.

Usage: ``python tools/vendor_assets.py [--dest _build/vendor]``
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import os
import shutil
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
}

# what to copy: package -> list of (member prefix inside the tarball, destination below cvm-vendor/)
WANTED = {
    "requirejs": [("package/require.js", "require.js")],
    # embed-amd.js plus the icon fonts its CSS references
    "html-manager": [("package/dist/", "")],
    # es5/ holds tex-chtml.js and the fonts/extensions it loads relative to itself
    "mathjax": [("package/es5/", "mathjax/")],
}


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dest", default="_build/vendor", type=Path)
    parser.add_argument("--cache", default="_build/vendor-cache", type=Path)
    args = parser.parse_args(argv)
    target = args.dest / "cvm-vendor"
    if (target / "mathjax" / "tex-chtml.js").exists() and (target / "embed-amd.js").exists():
        return 0
    shutil.rmtree(target, ignore_errors=True)
    for name, wanted in WANTED.items():
        written = unpack(fetch(name, args.cache), wanted, target)
        print(f"vendored {name}: {written} files -> {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
