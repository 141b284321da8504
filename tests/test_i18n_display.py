"""The Chinese edition of what cvmlib draws and shows: figures, tables, widgets (P-display, issue 10).

* Figures: drawn in Chinese with the shipped CJK font (mplfonts' Noto Sans CJK SC), no "Glyph ...
  missing from font" warning (warnings are errors here), Latin and digits still in DejaVu Sans.
* Tables: ``cvmlib.display`` translates headers and known labels for display only; the numbers are
  identical and the data keep their English column names and segment codes.
* Widgets: labels and tables in Chinese, and a slider move still takes the fast path.
* English: unchanged.
"""

from __future__ import annotations

import io
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.ft2font import FT2Font  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from cvmlib import plotting  # noqa: E402
from cvmlib.datasets import load_complaints, load_orders, load_survey  # noqa: E402
from cvmlib.display import header, label, localize, readable, show  # noqa: E402
from cvmlib.i18n import language  # noqa: E402
from cvmlib.plotting._fonts import CJK_FAMILIES, cjk_font_file, font_families, register_fonts  # noqa: E402
from cvmlib.rfm import rfm_scores, rfm_segments, rfm_table, segment_summary  # noqa: E402

SNAPSHOT = "2026-01-01"


@pytest.fixture(scope="module")
def rfm() -> pd.DataFrame:
    return rfm_table(load_orders(), SNAPSHOT)


@pytest.fixture(scope="module")
def summary(rfm: pd.DataFrame) -> pd.DataFrame:
    return segment_summary(rfm, rfm_segments(rfm_scores(rfm)))


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def _draw(ax) -> bytes:  # noqa: ANN001 - an Axes
    """Render the whole figure (where missing glyphs are reported) with warnings as errors."""
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax.figure.savefig(buffer, format="png")
    plt.close(ax.figure)
    return buffer.getvalue()


def _texts(ax) -> list[Text]:  # noqa: ANN001
    return [text for a in ax.figure.axes for text in a.findobj(Text) if text.get_text().strip()]


# ------------------------------------------------------------------------------------------------
# The font
# ------------------------------------------------------------------------------------------------
def test_the_shipped_cjk_font_is_registered_without_mplfonts_setup() -> None:
    path = cjk_font_file()
    assert path is not None and path.name == "NotoSansCJKsc-Regular.otf", "pip install mplfonts (requirements)"
    before = dict(matplotlib.rcParams)
    families = register_fonts()
    assert families[0] == "DejaVu Sans" and "Noto Sans CJK SC" in families
    assert dict(matplotlib.rcParams) == before, "registering the font must not change the user's settings"
    files = [entry.fname for entry in font_manager.fontManager.ttflist]
    assert str(path) in files
    assert not any(f.endswith("SimHei.ttf") and "mplfonts" in f for f in files), "mplfonts' SimHei is not free"
    # only installed families are listed: no "findfont: Font family ... not found" on any draw
    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    assert set(font_families()) <= installed


def test_a_zh_figure_has_chinese_text_and_no_missing_glyph(summary: pd.DataFrame) -> None:
    with language("zh"):
        ax = plotting.segment_bars(summary)
    assert ax.get_title() == "客户分群：规模与价值"
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks[0] == "重要价值客户" and "流失风险客户" in ticks
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["客户占比", "收入占比"]
    texts = _texts(ax)
    for text in texts:  # every text falls back to the CJK font after DejaVu Sans
        family = text.get_fontfamily()
        assert family[0] == "DejaVu Sans" and any(f in CJK_FAMILIES for f in family), text.get_text()
    # the CJK font matplotlib resolves really has the characters
    cjk = font_manager.fontManager._find_fonts_by_props(ax.title.get_fontproperties())
    assert any(FT2Font(str(path)).get_char_index(ord("客")) for path in cjk)
    png = _draw(ax)  # a "Glyph ... missing from font(s)" UserWarning would fail here
    assert png[:4] == b"\x89PNG"


@pytest.fixture(scope="module")
def drawings(rfm: pd.DataFrame, summary: pd.DataFrame):  # noqa: ANN201
    from cvmlib.cohorts import cohort_counts, retention_curve
    from cvmlib.complaints import cause_pareto
    from cvmlib.fourc import four_c_audit

    orders = load_orders()
    scores = rfm_scores(rfm)
    revenue = orders.groupby("customer_id")["amount"].sum()
    counts = cohort_counts(orders, observation_end="2025-12-31")
    retention = counts.div(counts[0], axis=0)
    survey = load_survey()
    ticket = load_complaints().iloc[0]
    return {
        "rfm_heatmap": lambda: plotting.rfm_heatmap(scores, rfm["monetary"]),
        "segment_bars": lambda: plotting.segment_bars(summary),
        "lorenz_plot": lambda: plotting.lorenz_plot(revenue),
        "value_matrix_plot": lambda: plotting.value_matrix_plot(revenue, revenue * 0.5 + 1.0, 2000.0, 1500.0),
        "nps_distribution_plot": lambda: plotting.nps_distribution_plot(survey["nps"]),
        "four_c_heatmap": lambda: plotting.four_c_heatmap(four_c_audit(survey)),
        "cause_pareto_plot": lambda: plotting.cause_pareto_plot(cause_pareto(load_complaints())),
        "ticket_timeline_plot": lambda: plotting.ticket_timeline_plot(ticket, {"first_response": 2, "resolution": 48}),
        "cohort_heatmap": lambda: plotting.cohort_heatmap(retention, sizes=counts[0]),
        "retention_curves_plot": lambda: plotting.retention_curves_plot(retention, retention_curve(counts), every=4),
        "clv_cumulative_plot": lambda: plotting.clv_cumulative_plot(30.0, 0.9, 0.01, 24),
    }


@pytest.mark.parametrize("name", ["rfm_heatmap", "segment_bars", "lorenz_plot", "value_matrix_plot",
                                  "nps_distribution_plot", "four_c_heatmap", "cause_pareto_plot",
                                  "ticket_timeline_plot", "cohort_heatmap", "retention_curves_plot",
                                  "clv_cumulative_plot"])
def test_every_plot_draws_in_chinese(drawings, name: str) -> None:  # noqa: ANN001
    with language("zh"):
        ax = drawings[name]()
    assert _has_cjk(ax.get_title()), ax.get_title()
    labels = [ax.get_xlabel(), ax.get_ylabel()]
    assert any(_has_cjk(text) for text in labels if text) or name == "ticket_timeline_plot" or not any(labels)
    english = [t.get_text() for t in _texts(ax) if any(c.isalpha() and c.isascii() for c in t.get_text())
               and not _has_cjk(t.get_text())]
    allowed = {"NPS", "CLV", "RFM", "SLA", "F", "R", "C", "T", "n", "h", "A", "B"}
    for text in english:  # what stays Latin is a code, a number, a date or a unit
        words = {w for w in "".join(c if c.isalpha() else " " for c in text).split() if w.isascii()}
        assert words <= allowed or text[:1].isdigit() or text.startswith(("C0", "T0", "O0")), text
    _draw(ax)


def test_english_figures_are_unchanged(summary: pd.DataFrame) -> None:
    ax = plotting.segment_bars(summary)
    assert ax.get_title() == "Segments: size vs value"
    assert [t.get_text() for t in ax.get_yticklabels()][:2] == ["Champions", "Loyal"]
    assert ax.get_xlabel() == "% of total"
    plt.close(ax.figure)
    ax = plotting.nps_distribution_plot(pd.Series([10, 9, 7, 3]))
    assert ax.get_title() == "NPS = +25 (mean answer 7.2)"
    plt.close(ax.figure)


# ------------------------------------------------------------------------------------------------
# Tables
# ------------------------------------------------------------------------------------------------
def test_show_translates_headers_and_labels_for_display_only(summary: pd.DataFrame) -> None:
    with language("zh"):
        shown = localize(summary)
        html = show(summary, "Segment summary", format={"customer_share": "{:.1%}"}).to_html()
    assert list(shown.columns[:4]) == ["客户数", "客户占比", "收入（元）", "收入占比"]
    assert shown.index.name == "客户分群" and shown.index[0] == "重要价值客户"
    np.testing.assert_array_equal(shown.to_numpy(), summary.to_numpy())  # the numbers are identical
    assert "客户占比" in html and f"{summary['customer_share'].iloc[0]:.1%}" in html
    # the data themselves keep their English names and codes
    assert list(summary.columns[:2]) == ["customers", "customer_share"] and summary.index[0] == "Champions"


def test_show_in_english_is_the_table_as_before(summary: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(localize(summary), summary)
    rule = {"customer_share": "{:.1%}", "revenue": "{:,.0f}"}
    mine = show(summary, "Segment summary", format=rule)
    before = summary.style.format(rule).set_caption("Segment summary")
    assert mine.to_html(table_uuid="t") == before.to_html(table_uuid="t")
    assert label("Champions") == "Champions" and header("customer_share") == "customer_share"
    assert readable("delivery_delay") == "delivery delay"


def test_labels_of_data_sets_and_composed_lists() -> None:
    tickets = load_complaints()
    with language("zh"):
        counts = localize(tickets["category"].value_counts())
        handoffs = show(pd.DataFrame({"categories": ["billing, wrong_item"]}, index=["warehouse"])).to_html()
        features = [header("cat_Home"), header("chan_mini_program")]
    assert "配送延迟" in counts.index and counts.name == "计数"
    assert counts.sum() == len(tickets)
    assert "账单问题、发错商品" in handoffs and "仓储部" in handoffs
    assert features == ["家居消费占比", "小程序订单占比"]


def test_btyd_columns_are_named_as_btyd_quantities(rfm: pd.DataFrame) -> None:
    table = pd.concat({"BTYD summary (weeks)": pd.DataFrame({"frequency": [2], "recency": [3.0], "T": [9.0]}),
                       "RFM (days, orders, CNY)": rfm[["recency", "frequency"]].head(1).reset_index(drop=True)},
                      axis=1)
    with language("zh"):
        columns = list(localize(table).columns)
    assert columns[0] == ("BTYD 汇总（周）", "重复购买次数")  # not the RFM frequency
    assert columns[3] == ("RFM（天、单、元）", "最近一次消费（天）")


def test_segment_names_follow_the_course_terms() -> None:
    with language("zh"):
        names = [label(n) for n in ("Champions", "At risk", "Hibernating", "Lost", "Key", "Basic",
                                    "True friends", "promoter", "detractor")]
    assert names == ["重要价值客户", "流失风险客户", "沉睡客户", "已流失客户", "重点客户", "基础客户", "真朋友",
                     "推荐者", "贬损者"]


def test_topic_texts_for_people_follow_the_language() -> None:
    from cvmlib.segment import suggest_segment_names

    profile = pd.DataFrame({"customers": [8, 2], "revenue": [800.0, 1200.0], "median_recency": [20, 400],
                            "top_category": ["Home", "Electronics"]})
    assert suggest_segment_names(profile).tolist() == ["Home, low value", "Electronics, high value, lapsed"]
    with language("zh"):
        assert suggest_segment_names(profile).tolist() == ["家居·低价值", "电子产品·高价值·久未购买"]


def test_input_errors_of_the_topic_modules_are_translated(rfm: pd.DataFrame) -> None:
    from cvmlib.validate import InputError
    from cvmlib.value import allocate_budget

    with language("zh"), pytest.raises(InputError, match="weights 缺少象限"):
        allocate_budget(pd.Series(["Key", "Basic"]), 100.0, {"Key": 1.0})
    with pytest.raises(InputError, match="weights has no weight"):
        allocate_budget(pd.Series(["Key", "Basic"]), 100.0, {"Key": 1.0})


# ------------------------------------------------------------------------------------------------
# Widgets
# ------------------------------------------------------------------------------------------------
def test_rfm_explorer_in_chinese_moves_on_the_fast_path(rfm: pd.DataFrame) -> None:
    from cvmlib.widgets.rfm import rfm_explorer

    with language("zh"):
        box = rfm_explorer(rfm)
        recency, orders = box.children[0].children
        table, image = box.children[2], box.children[3]
        assert recency.description == "R=5：最近购买在几天以内"
        assert "客户占比" in table.value and "重要价值客户" in table.value and "收入占比" in box.children[4].value
        first = bytes(image.value)
        recency.value = 45  # a move redraws the chart (see the next test: on the fast path)
        assert bytes(image.value) != first and bytes(image.value)[:4] == b"\x89PNG"
        assert "快照" in box._repr_mimebundle_()["text/html"]  # the slides' snapshot note


def test_the_chart_of_a_zh_move_is_not_rebuilt(summary: pd.DataFrame) -> None:
    from cvmlib.widgets.rfm import DPI, FIGSIZE, rfm_explorer_png
    from cvmlib.widgets.views import LivePicture

    picture = LivePicture(FIGSIZE, DPI)
    with language("zh"):
        rfm_explorer_png(picture, summary)
        ax = picture.figure.axes[0]
        moved = summary.assign(revenue_share=summary["revenue_share"][::-1].to_numpy())
        rfm_explorer_png(picture, moved)
    assert picture.figure.axes == [ax], "a zh move must not rebuild the chart (slow path)"
    assert [t.get_text() for t in ax.get_yticklabels()][0] == "重要价值客户"


def test_other_widgets_speak_chinese() -> None:
    from cvmlib.widgets.clv import clv_calculator, clv_calculator_table
    from cvmlib.widgets.communication import johari_html
    from cvmlib.widgets.value import value_explorer_views

    with language("zh"):
        calculator = clv_calculator()
        margin = calculator.children[0].children[0]
        assert margin.description == "每月毛利"
        assert "无限期" in calculator.children[2].value
        assert clv_calculator_table(100.0, 0.8, 0.1, 5).columns.tolist() == ["value"]  # the data stay English
        cur = pd.Series({"a": 900.0, "b": 100.0})
        views = value_explorer_views(cur, cur, 500, 500, (0.8, 0.95), 100, {"Key": 1, "Basic": 1})
        html = views[0].to_html()
        assert "价值矩阵与 100 元的服务预算" in html and "重点客户" in html
        johari = johari_html({"open": ["calm"], "blind": [], "hidden": [], "unknown": []})
        assert "开放区" in johari and "（无）" in johari


def test_a_machine_without_a_cjk_font_is_told_how_to_get_one(monkeypatch: pytest.MonkeyPatch) -> None:
    from cvmlib.plotting import _fonts

    monkeypatch.setattr(_fonts, "cjk_font_available", lambda: False)
    _fonts._warn_no_cjk_font.cache_clear()
    with language("zh"), pytest.warns(UserWarning, match="pip install mplfonts"):
        ax = plotting.clv_cumulative_plot(30.0, 0.9, 0.01, 12)
    plt.close(ax.figure)
    _fonts._warn_no_cjk_font.cache_clear()
