"""Interactive explorers for live "what if" demos (ipywidgets), one module per chapter.

Widgets sit on top of the topic modules and never compute anything themselves: they turn slider
positions into parameters, call the topic functions, and redraw. Run them in notebook view
(ipywidgets do not render inside RISE slides).

``from cvmlib.widgets import rfm_explorer`` loads only the RFM explorer's module: a workbook does not
pay for the other chapters' imports (k-means, scipy) before its first cell answers.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

#: Public name -> the chapter module that defines it.
_MODULE_OF: dict[str, str] = {
    "AnswerForm": "answer",
    "answer_form": "answer",
    "clv_calculator": "clv",
    "clv_calculator_html": "clv",
    "clv_calculator_png": "clv",
    "clv_calculator_table": "clv",
    "explorer_summary": "rfm",
    "johari_html": "communication",
    "johari_window": "communication",
    "rfm_explorer": "rfm",
    "rule_cut_points": "rfm",
    "plan_editor": "sandbox",
    "debrief_views": "sandbox",
    "round_views": "sandbox",
    "submit_round": "sandbox",
    "PlanEditor": "sandbox",
    "segment_explorer": "segment",
    "segment_explorer_table": "segment",
    "value_explorer_tables": "value",
    "value_explorer_views": "value",
    "value_matrix_explorer": "value",
    "sample_size_explorer": "lifecycle",
    "sample_size_table": "lifecycle",
    "stage_rule_explorer": "lifecycle",
    "stage_rule_table": "lifecycle",
    "stage_rule_view": "lifecycle",
}

__all__ = sorted(_MODULE_OF)

if TYPE_CHECKING:  # static checkers and IDEs see the real objects
    from cvmlib.widgets.answer import AnswerForm, answer_form
    from cvmlib.widgets.rfm import explorer_summary, rfm_explorer, rule_cut_points
    from cvmlib.widgets.segment import segment_explorer, segment_explorer_table
    from cvmlib.widgets.value import value_explorer_tables, value_explorer_views, value_matrix_explorer
    from cvmlib.widgets.clv import clv_calculator, clv_calculator_html, clv_calculator_png, clv_calculator_table
    from cvmlib.widgets.communication import johari_html, johari_window
    from cvmlib.widgets.sandbox import PlanEditor, debrief_views, plan_editor, round_views, submit_round
    from cvmlib.widgets.lifecycle import (sample_size_explorer, sample_size_table, stage_rule_explorer,
                                          stage_rule_table, stage_rule_view)


def __getattr__(name: str) -> Any:
    if name not in _MODULE_OF:
        raise AttributeError(f"module 'cvmlib.widgets' has no attribute {name!r}")
    return getattr(importlib.import_module(f"cvmlib.widgets.{_MODULE_OF[name]}"), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *_MODULE_OF])
