"""``cvm report``: files read in any encoding, columns mapped, every number equal to an independent computation.

The reports are written once per module (fixtures) and inspected by several tests; each run is a few seconds.
"""

from __future__ import annotations

import base64
import io
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cvmlib.clean import clean_orders
from cvmlib.clv import BetaGeo, GammaGamma, customer_lifetime_value, summarize_purchases
from cvmlib.datasets import data_path, load_cdnow, load_orders_raw
from cvmlib.i18n import language
from cvmlib.report.cleaning import clean_export
from cvmlib.report.cli import main
from cvmlib.report.mapping import guess_mapping
from cvmlib.report.reader import detect_encoding, read_orders
from cvmlib.validate import InputError
from cvmlib.value import gini

ROOT = Path(__file__).resolve().parents[1]
ORDERS = ROOT / "datasets" / "retailer" / "orders.csv"
RAW = ROOT / "datasets" / "retailer" / "orders_raw.csv"


def run(*args: str) -> int:
    return main(["report", *map(str, args), "--quiet"])


@pytest.fixture(scope="module")
def retailer(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("retailer") / "report"
    assert run(ORDERS, "--out", out, "--snapshot", "2026-01-01") == 0
    return out


@pytest.fixture(scope="module")
def raw_zh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("raw") / "报告"
    assert run(RAW, "--out", out, "--lang", "zh", "--returns", "exclude") == 0
    return out


def _html(folder: Path) -> str:
    return (folder / "report.html").read_text(encoding="utf-8")


def _shown_number(page: str, label: str) -> str:
    match = re.search(r"<b>([^<]+)</b><span>" + re.escape(label) + "</span>", page)
    assert match, label
    return match.group(1)


# -- the retailer's clean orders -------------------------------------------------------------------
def test_report_files_and_gini_equal_independent_computation(retailer: Path) -> None:
    assert sorted(p.name for p in retailer.iterdir()) == ["customers.csv", "customers.xlsx", "report.html"]
    orders = pd.read_csv(ORDERS)
    spend = orders.groupby("customer_id")["amount"].sum()
    assert _shown_number(_html(retailer), "Gini coefficient of spend") == f"{gini(spend):.3f}"


@pytest.fixture(scope="module")
def independent() -> tuple[pd.DataFrame, BetaGeo, GammaGamma]:
    """The retailer's BTYD summary and both models, fitted here without the report's code."""
    orders = pd.read_csv(ORDERS, parse_dates=["order_date"])
    s = summarize_purchases(orders, "customer_id", "order_date", "amount", observation_end="2025-12-31", unit="W")
    bg = BetaGeo().fit(s["frequency"], s["recency"], s["T"])
    gg = GammaGamma().fit(s["frequency"], s["monetary_value"])
    return s, bg, gg


@pytest.fixture(scope="module")
def retailer_xlsx(retailer: Path) -> pd.DataFrame:
    """The Excel customer file (full float precision, unlike the CSV's 6 digits), indexed by customer."""
    return pd.read_excel(retailer / "customers.xlsx", dtype={"customer": str}, engine="openpyxl").set_index("customer")


def test_customer_file_clv_equals_customer_lifetime_value(retailer: Path, independent: tuple,
                                                          retailer_xlsx: pd.DataFrame) -> None:
    table = pd.read_csv(retailer / "customers.csv", encoding="utf-8-sig", dtype={"customer": str})
    assert (retailer / "customers.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads Chinese right
    s, bg, gg = independent
    clv = pd.Series(customer_lifetime_value(bg, gg, s["frequency"], s["recency"], s["T"], s["monetary_value"],
                                            horizon=12, discount_rate=0.01), index=s.index)
    shown = table.set_index("customer")["CLV"]
    assert len(shown) == len(clv) == 5000
    np.testing.assert_allclose(shown.reindex(clv.index), clv, rtol=1e-5)  # the file keeps 6 significant digits
    p_alive = pd.Series(bg.p_alive(s["frequency"], s["recency"], s["T"]), index=s.index)
    np.testing.assert_allclose(table.set_index("customer")["P(alive)"].reindex(s.index), p_alive, rtol=1e-5, atol=1e-9)
    xlsx = retailer_xlsx
    assert ["customer", *xlsx.columns] == list(table.columns)
    pd.testing.assert_series_equal(xlsx["segment"], table.set_index("customer")["segment"])
    np.testing.assert_allclose(xlsx["CLV"].reindex(clv.index), clv, rtol=1e-12)


def test_look_ahead_columns_equal_the_model_methods(retailer: Path, independent: tuple,
                                                   retailer_xlsx: pd.DataFrame) -> None:
    s, bg, _gg = independent
    ahead = 90 / 7  # weeks
    weekly = np.log(1.01) / (30.4375 / 7)  # the report's 1% a month, continuous per week
    f, r, big_t = s["frequency"], s["recency"], s["T"]
    expected = {"P(alive in 90 days)": bg.p_alive(f, r, big_t, future_t=ahead),
                "P(no purchase in the next 90 days)": bg.conditional_purchase_count_probability(0, ahead, f, r, big_t)}
    for column, values in expected.items():
        np.testing.assert_allclose(retailer_xlsx[column].reindex(s.index), values, rtol=1e-12, atol=1e-15)
    some = s.iloc[::7]  # DERT is a quadrature per customer: a seventh of them is as strict and faster
    np.testing.assert_allclose(retailer_xlsx["DERT"].reindex(some.index),
                               bg.dert(some["frequency"], some["recency"], some["T"], weekly), rtol=1e-12, atol=1e-15)
    assert (retailer_xlsx["P(alive in 90 days)"] <= retailer_xlsx["P(alive)"] + 1e-15).all()
    page = _html(retailer)
    assert f"{weekly:.6f} a week" in page and "ln(1 + 0.01) / (30.4375 / 7)" in page  # the conversion is stated
    for column in ("P(alive in 90 days)", "P(no purchase in the next 90 days)", "DERT"):
        assert f"<tr><td>{column}</td><td>" in page  # explained in the notes
    # the early-warning list shows the same numbers
    warning = page[page.index("5. Early warning"):page.index("6. Tier migration")]
    rows = re.findall(r"<tr><td>(C\d+)</td>(.*?)</tr>", warning)
    assert len(rows) == 30
    for cid, cells in rows:
        shown = re.findall(r'<td class="n">([^<]*)</td>', cells)
        i = s.index.get_loc(cid)
        assert shown[4:7] == [f"{expected['P(alive in 90 days)'][i]:.1%}",
                              f"{expected['P(no purchase in the next 90 days)'][i]:.1%}",
                              f"{retailer_xlsx.loc[cid, 'DERT']:.2f}"]


def test_parameter_table_equals_model_summary_and_matrix_figures_are_shown(retailer: Path,
                                                                           independent: tuple) -> None:
    s, bg, gg = independent
    page = _html(retailer)
    section = page[page.index("<h3>The fitted parameters</h3>"):page.index("5. Early warning")]
    shown = re.findall(r"<tr><td>(BG/NBD|Gamma-Gamma)</td><td>(\w+)</td><td class=\"n\">([^<]+)</td>"
                       r"<td class=\"n\">([^<]+)</td><td class=\"n\">([^<]+)</td>", section)
    wanted = [(model, name, f"{r.estimate:.4g}", f"{r.standard_error:.4g}", f"{r.lower_95:.4g} – {r.upper_95:.4g}")
              for model, fitted in (("BG/NBD", bg), ("Gamma-Gamma", gg)) for name, r in fitted.summary().iterrows()]
    assert shown == wanted and len(shown) == 7
    assert "A wide interval means" in section
    typical = round(float(s["T"].median()), 1)
    captions = re.findall(r"<figcaption>([^<]+)</figcaption>", page)
    assert len(captions) == page.count('src="data:image/png;base64,') == 5
    assert any(c.startswith(f"P(alive) at the snapshot by frequency and recency, T = {typical:g} weeks (the median)")
               for c in captions)
    assert any(c.startswith(f"Expected purchases in the next {12 * 30.4375 / 7:.1f} weeks (the report&#x27;s horizon "
                            f"of 12 months)") and f"T = {typical:g} weeks" in c for c in captions)


def test_report_is_offline(retailer: Path, raw_zh: Path) -> None:
    for folder in (retailer, raw_zh):
        page = _html(folder)
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", page)
        assert "<script" not in page
        assert page.count('src="data:image/png;base64,') >= 5  # + the P(alive) and frequency-recency matrices


# -- the raw export, in Chinese ----------------------------------------------------------------------
def test_raw_export_cleaning_equals_clean_orders() -> None:
    read = read_orders(RAW)
    cleaned = clean_export(read.table, guess_mapping(read.table.columns), returns="exclude")
    ours = cleaned.orders.set_index("order_id").sort_index()
    result = clean_orders(load_orders_raw())
    reference = result.orders.set_index("order_id").sort_index()
    assert ours.index.equals(reference.index)
    assert (ours["order_date"] == reference["order_date"]).all()  # day-first rows did not swap ISO ones
    assert (ours["customer_id"] == reference["customer_id"].astype(str)).all()
    np.testing.assert_array_equal(ours["amount"], reference["amount"])
    counts = {step.key: step.rows for step in cleaned.steps}
    assert counts["returns_removed"] == len(result.returns)
    assert sum(counts[k] for k in ("exact_duplicates", "no_customer", "test_orders", "repeated_rows",
                                   "returns_removed")) == len(read.table) - len(ours)


def test_zh_report_has_no_english_titles_and_its_font_covers_every_character(raw_zh: Path) -> None:
    from fontTools.ttLib import TTFont

    page = _html(raw_zh)
    assert '<html lang="zh-CN">' in page
    titles = re.findall(r"<h[1-3]>(.*?)</h[1-3]>", page)
    assert len(titles) >= 8
    for title in titles:
        words = re.sub(r"BG/NBD|Gamma-Gamma|RFM|CLV", "", title)
        assert not re.search(r"[A-Za-z]{3,}", words), title
    font = re.search(r"src:url\(data:font/woff2;base64,([A-Za-z0-9+/=]+)\)", page)
    assert font
    cmap = TTFont(io.BytesIO(base64.b64decode(font.group(1)))).getBestCmap()
    text = re.sub(r"<style>.*?</style>", "", page, flags=re.S)
    used = {ch for ch in text if "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"}
    assert used and not (used - {chr(c) for c in cmap})
    table = pd.read_csv(raw_zh / "customers.csv", encoding="utf-8-sig")
    assert {"客户", "客户分群"} <= set(table.columns) or "客户" in table.columns


# -- files, encodings, mappings --------------------------------------------------------------------
def _sample(n: int = 60) -> pd.DataFrame:
    orders = pd.read_csv(ORDERS, dtype=str).head(n)
    return orders


def test_gb18030_csv_with_chinese_columns_is_read_and_mapped(tmp_path: Path) -> None:
    orders = _sample()
    chinese = orders.rename(columns={"order_id": "订单编号", "customer_id": "会员号", "order_date": "下单时间",
                                     "amount": "实付金额", "channel": "渠道", "category": "品类"})
    chinese["渠道"] = "小程序"
    path = tmp_path / "订单.csv"
    path.write_bytes(chinese.to_csv(index=False, sep=";").encode("gb18030"))
    read = read_orders(path)
    assert (read.encoding, read.delimiter) == ("gb18030", ";")
    mapping = guess_mapping(read.table.columns)
    assert (mapping.customer, mapping.date, mapping.amount, mapping.order) == ("会员号", "下单时间", "实付金额", "订单编号")
    assert read.table["渠道"].eq("小程序").all()
    assert detect_encoding("金额".encode("utf-16")) == "utf-16"


def test_undecodable_bytes_name_the_position(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"customer_id,amount\nA,1\n" + b"\x81\xff\x81\xff,2\n" + b"\x00")
    with pytest.raises(InputError, match=r"byte 23 \(line 3\)"):
        read_orders(path)


def test_xlsx_and_parquet_are_read(tmp_path: Path) -> None:
    import duckdb

    orders = _sample().astype({"amount": float})
    orders.to_excel(tmp_path / "orders.xlsx", index=False)
    assert read_orders(tmp_path / "orders.xlsx").table["amount"].sum() == pytest.approx(orders["amount"].sum())
    con = duckdb.connect()
    con.register("o", orders)
    con.execute(f"COPY o TO '{tmp_path / 'orders.parquet'}' (FORMAT parquet)")
    assert read_orders(tmp_path / "orders.parquet").table["customer_id"].tolist() == orders["customer_id"].tolist()


def test_explicit_option_wins_and_ambiguous_mapping_stops(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert guess_mapping(["customer_id", "date", "amount", "total"], amount="total").amount == "total"
    orders = _sample().assign(total=lambda d: d["amount"])
    path = tmp_path / "orders.csv"
    orders.to_csv(path, index=False)
    out = tmp_path / "out"
    assert run(path, "--out", out) == 1
    message = capsys.readouterr().err
    assert "'amount' and 'total'" in message and "--amount-col" in message and "'channel'" in message
    assert list(tmp_path.iterdir()) == [path]  # no report folder, no temporary folder


def test_bad_dates_stop_with_the_rows_and_leave_nothing(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    orders = _sample()
    orders.loc[7, "order_date"] = "next Tuesday"
    path = tmp_path / "orders.csv"
    orders.to_csv(path, index=False)
    assert run(path, "--out", tmp_path / "out") == 1
    message = capsys.readouterr().err
    assert "next Tuesday" in message and "order_date" in message and "Traceback" not in message
    assert re.search(r"^9 ", message, flags=re.M)  # the line of the file (header = line 1)
    assert list(tmp_path.iterdir()) == [path]


def test_returns_need_a_policy_and_an_existing_folder_is_kept(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    orders = _sample()
    orders.loc[3, "amount"] = "-20.00"
    path = tmp_path / "orders.csv"
    orders.to_csv(path, index=False)
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("keep me")
    assert run(path, "--out", out) == 1
    assert "--force" in capsys.readouterr().err
    assert run(path, "--out", out, "--force") == 1  # returns without a policy
    assert "--returns net" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["orders.csv", "out"]
    assert [p.name for p in out.iterdir()] == ["mine.txt"]


def test_cvmlib_main_module_runs_the_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import runpy

    path = tmp_path / "orders.csv"
    pd.read_csv(ORDERS, dtype=str).head(400).to_csv(path, index=False)
    monkeypatch.setattr(sys, "argv", ["cvmlib", "report", str(path), "--out", str(tmp_path / "r"), "--quiet"])
    with pytest.raises(SystemExit) as done:
        runpy.run_module("cvmlib", run_name="__main__", alter_sys=True)
    assert done.value.code == 0
    assert (tmp_path / "r" / "report.html").is_file()


@pytest.mark.full
def test_python_m_cvmlib_report_runs(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    pd.read_csv(ORDERS, dtype=str).head(400).to_csv(path, index=False)
    done = subprocess.run([sys.executable, "-m", "cvmlib", "report", str(path), "--out", str(tmp_path / "r")],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "RFM" in done.stderr and "s\n" in done.stderr  # progress with seconds on stderr
    assert done.stdout.strip() == str(tmp_path / "r")
    done = subprocess.run([CVM, "report", str(path), "--out", str(tmp_path / "r2"), "--quiet"], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr


#: The console script pip installs next to the interpreter (pyproject.toml [project.scripts]; make venv).
CVM = str(Path(sys.executable).with_name("cvm"))


def test_the_cvm_command_is_installed() -> None:
    done = subprocess.run([CVM, "report", "--help"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "--customer-col" in done.stdout and "--lang" in done.stdout


# -- CDNOW -----------------------------------------------------------------------------------------
def test_cdnow_report(tmp_path: Path) -> None:
    path = tmp_path / "cdnow.csv"
    load_cdnow().to_csv(path, index=False)
    assert run(path, "--out", tmp_path / "r", "--returns", "exclude", "--no-order-col") == 0
    page = _html(tmp_path / "r")
    assert "the first half of the data window against the second half" in page
    cdnow = load_cdnow()
    spend = cdnow[cdnow["amount"] > 0].groupby("customer_id")["amount"].sum()
    assert _shown_number(page, "Gini coefficient of spend") == f"{gini(spend):.3f}"
    assert re.search(r"verdict (good|warn|bad)", page)
