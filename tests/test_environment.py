"""The conda environment and the pip requirements list the same pinned packages."""

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def _requirements() -> set[str]:
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return {line.strip().lower() for line in lines if line.strip() and not line.startswith("#")}


def _conda_pip_section() -> set[str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip = next(item["pip"] for item in env["dependencies"] if isinstance(item, dict) and "pip" in item)
    return {str(item).strip().lower() for item in pip}


def test_conda_and_pip_list_the_same_pins():
    conda, pip = _conda_pip_section(), _requirements()
    assert conda == pip, f"only in environment.yml: {sorted(conda - pip)}; only in requirements.txt: {sorted(pip - conda)}"


def test_everything_is_pinned_and_jupyter_book_is_v1():
    pins = dict(req.split("==") for req in _requirements())
    assert all(version for version in pins.values())
    assert pins["jupyter-book"].startswith("1."), "Jupyter Book 2 cannot build offline: keep jupyter-book<2"


def test_environment_uses_python_311():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert "python=3.11" in env["dependencies"]


@pytest.mark.xdist_group("probe")
def test_xdist_sees_the_test_groups(request):
    """make test runs two workers with ``--dist loadgroup``: a test's group must reach the scheduler (as the
    ``@group`` suffix of its id), or the book's tests split over both workers and each builds the books."""
    if not request.config.getoption("loadgroup", False):  # set by xdist, on its workers too
        pytest.skip("not run by pytest-xdist with --dist loadgroup")
    assert request.node.nodeid.endswith("@probe"), request.node.nodeid
