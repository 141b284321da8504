"""A participant's server: ``jupyterhub-singleuser`` (JupyterLab under the hub), started a few seconds sooner.

``python -m cvmlib.classroom.singleuser`` is :func:`jupyterhub.singleuser.main` with one change:
the optional module ``rfc3987_syntax`` is not imported. ``jsonschema`` (through ``jupyter_events``,
which every Jupyter server loads) imports it, if installed, only to check the ``iri`` string
format, and at import it compiles about forty Earley parsers: 3 s of CPU per process on a laptop
core, measured here (``python -X importtime -c "import rfc3987_syntax"``), 7 s when the cores are
busy. No Jupyter event schema uses that format; without the module, jsonschema simply has no
``iri`` checker (as before jsonschema 4.25). In a room where thirty servers start within a minute
on two cores, those seconds are most of the wait. The hub itself starts the same way
(:func:`block_slow_imports`, called by ``python -m cvmlib.classroom serve``).

Examples
--------
>>> SLOW_OPTIONAL_MODULES
('rfc3987_syntax',)
"""

from __future__ import annotations

import sys

#: Optional modules that cost seconds at import and that no part of a classroom needs.
SLOW_OPTIONAL_MODULES = ("rfc3987_syntax",)


def block_slow_imports() -> None:
    """Make :data:`SLOW_OPTIONAL_MODULES` unimportable in this process (an ImportError, which their users expect)."""
    for name in SLOW_OPTIONAL_MODULES:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]


def main() -> int:
    """Run the single-user server (the arguments and environment are the hub's)."""
    block_slow_imports()
    from jupyterhub.singleuser import main as singleuser

    return int(singleuser() or 0)


if __name__ == "__main__":
    sys.exit(main())
