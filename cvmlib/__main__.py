"""``python -m cvmlib report ORDERS ...``: the same as the ``cvm`` command (:func:`cvmlib.report.cli.main`)."""

import sys

from cvmlib.report.cli import main

if __name__ == "__main__":
    sys.exit(main())
