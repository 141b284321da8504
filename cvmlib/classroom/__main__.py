"""``python -m cvmlib.classroom serve``: the classroom server (:func:`cvmlib.classroom.hub.main`)."""

import sys

from cvmlib.classroom.hub import main

if __name__ == "__main__":
    sys.exit(main())
