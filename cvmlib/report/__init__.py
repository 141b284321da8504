"""``cvm report``: the customer value report of a company's order export (one HTML page plus a customer file).

Modules, one job each: :mod:`~cvmlib.report.reader` (files and encodings), :mod:`~cvmlib.report.mapping`
(which column is what), :mod:`~cvmlib.report.cleaning` (what is removed and why),
:mod:`~cvmlib.report.analysis` (every number, from cvmlib's RFM, value and CLV functions),
:mod:`~cvmlib.report.figures` and :mod:`~cvmlib.report.fonts` (inline figures and the embedded Chinese
font), :mod:`~cvmlib.report.html` (the page), :mod:`~cvmlib.report.exports` (CSV and Excel) and
:mod:`~cvmlib.report.cli` (the command; entry point ``cvmlib.report.cli:main``).

Run it as ``cvm report orders.csv --out my-report`` or ``python -m cvmlib report orders.csv``.
"""

from cvmlib.report.analysis import Analysis, analyse, trust_verdict
from cvmlib.report.cleaning import CleanExport, clean_export
from cvmlib.report.cli import main
from cvmlib.report.mapping import ColumnMapping, guess_mapping
from cvmlib.report.reader import ReadResult, read_orders

__all__ = ["Analysis", "CleanExport", "ColumnMapping", "ReadResult", "analyse", "clean_export", "guess_mapping",
           "main", "read_orders", "trust_verdict"]
