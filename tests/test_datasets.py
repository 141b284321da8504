"""The shipped data sets: reproducible, well-typed, consistent, and carrying the story the chapters need."""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest


from cvmlib import datasets
from cvmlib.validate import InputError

ROOT = Path(__file__).resolve().parents[1]
RETAILER = ROOT / "datasets" / "retailer"
CDNOW = ROOT / "datasets" / "cdnow"
TABLES = ["customers", "orders", "orders_raw", "complaints", "survey", "truth"]
WINDOW = (pd.Timestamp("2024-01-01"), pd.Timestamp("2026-01-01"))  # end exclusive


def _generator():
    """datasets/generate.py as a module (it is a script, not part of the package)."""
    spec = importlib.util.spec_from_file_location("cvm_generate", ROOT / "datasets" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it is being executed
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return {
        "customers": datasets.load_customers(), "orders": datasets.load_orders(),
        "raw": datasets.load_orders_raw(), "complaints": datasets.load_complaints(),
        "survey": datasets.load_survey(), "truth": datasets.load_truth(),
    }


# --- reproducibility ------------------------------------------------------------------------------

def test_regeneration_is_byte_identical_and_check_detects_changes(tmp_path):
    subprocess.run([sys.executable, "datasets/generate.py", "--out", str(tmp_path)], cwd=ROOT, check=True,
                   capture_output=True)
    for name in TABLES:
        new, shipped = (tmp_path / f"{name}.csv").read_bytes(), (RETAILER / f"{name}.csv").read_bytes()
        assert new == shipped, f"{name}.csv differs from a fresh run of datasets/generate.py"
        assert b"\r" not in shipped
    # --check regenerates once more and must flag exactly the file we tamper with.
    survey = tmp_path / "survey.csv"
    survey.write_bytes(survey.read_bytes().replace(b"S00001,", b"S99999,", 1))
    result = subprocess.run([sys.executable, "datasets/generate.py", "--out", str(tmp_path), "--check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "survey.csv: DIFFERS" in result.stdout and result.stdout.count("identical") == len(TABLES) - 1


# --- shapes, dtypes, keys -------------------------------------------------------------------------

def test_shapes(tables):
    assert tables["customers"].shape == (5000, 8)
    assert tables["truth"].shape == (5000, 6)
    assert tables["survey"].shape == (1500, 8)
    assert 40_000 <= len(tables["orders"]) <= 60_000
    assert tables["orders"].shape[1] == 6
    assert tables["raw"].columns.tolist() == tables["orders"].columns.tolist()
    assert 0.05 <= len(tables["complaints"]) / len(tables["orders"]) <= 0.08


def test_dtypes(tables):
    orders, customers, complaints = tables["orders"], tables["customers"], tables["complaints"]
    assert orders["order_date"].dtype == "datetime64[ns]"
    assert orders["amount"].dtype == "float64"
    assert isinstance(orders["channel"].dtype, pd.CategoricalDtype)
    assert set(orders["category"].cat.categories) == set(datasets.CATEGORIES)
    assert pd.api.types.is_string_dtype(orders["order_id"]) and pd.api.types.is_string_dtype(orders["customer_id"])
    assert customers["city_tier"].cat.ordered and customers["age"].dtype == "int64"
    assert complaints["satisfaction_after"].dtype == "Int64"
    assert complaints["resolved_at"].dtype == "datetime64[ns]"
    assert all(pd.api.types.is_string_dtype(tables["raw"][c]) for c in tables["raw"].columns)
    assert tables["truth"]["dropout_date"].dtype == "datetime64[ns]"
    # Categoricals hold no value outside their categories (which would have become NaN silently).
    for name, col in [("orders", "channel"), ("orders", "category"), ("customers", "membership_level"),
                      ("customers", "acquisition_channel"), ("complaints", "category"), ("truth", "segment")]:
        assert tables[name][col].notna().all(), f"{name}.{col} has values outside its categories"


def test_ids_are_unique_and_keys_resolve(tables):
    customers, orders, complaints, survey = (tables[k] for k in ["customers", "orders", "complaints", "survey"])
    assert customers["customer_id"].is_unique and orders["order_id"].is_unique
    assert complaints["ticket_id"].is_unique and survey["response_id"].is_unique
    assert survey["customer_id"].is_unique
    assert orders["customer_id"].isin(customers["customer_id"]).all()
    assert customers["customer_id"].isin(orders["customer_id"]).all(), "every customer bought at least once"
    ticket_orders = complaints.merge(orders, on="order_id", suffixes=("", "_order"), validate="many_to_one")
    assert len(ticket_orders) == len(complaints), "every ticket's order exists"
    assert (ticket_orders["customer_id"] == ticket_orders["customer_id_order"]).all()
    assert (ticket_orders["opened_at"] > ticket_orders["order_date"]).all()
    assert tables["truth"]["customer_id"].tolist() == customers["customer_id"].tolist()


def test_dates_are_in_the_window_and_in_order(tables):
    orders, customers, complaints, survey = (tables[k] for k in ["orders", "customers", "complaints", "survey"])
    for series in [orders["order_date"], customers["signup_date"], complaints["opened_at"],
                   complaints["resolved_at"].dropna(), survey["response_date"]]:
        assert series.min() >= WINDOW[0] and series.max() < WINDOW[1]
    assert orders["order_date"].max() >= pd.Timestamp("2025-12-01")
    assert orders["order_date"].is_monotonic_increasing, "order ids follow time"
    first = orders.groupby("customer_id")["order_date"].min().dt.normalize()
    assert (first == customers.set_index("customer_id")["signup_date"]).all()
    # Cohorts: signups spread over all 24 months.
    assert customers["signup_date"].dt.to_period("M").nunique() == 24
    resolved = complaints.dropna(subset=["resolved_at"])
    assert (resolved["first_response_at"] >= resolved["opened_at"]).all()
    assert (resolved["resolved_at"] >= resolved["first_response_at"]).all()


def test_values(tables):
    orders, complaints, survey = tables["orders"], tables["complaints"], tables["survey"]
    assert (orders["amount"] > 0).all()
    assert (orders["amount"] == orders["amount"].round(2)).all()
    assert survey["nps"].between(0, 10).all()
    assert survey[["consumer_needs_fit", "cost", "convenience", "communication"]].stack().between(1, 5).all()
    open_tickets = complaints["resolved_at"].isna()
    assert open_tickets.any() and (~open_tickets).any()
    # Outcome fields exist exactly for resolved tickets.
    for col in ["resolution", "compensation_cny", "satisfaction_after"]:
        assert (complaints[col].isna() == open_tickets).all(), col
    assert complaints["satisfaction_after"].dropna().between(1, 5).all()
    no_money = complaints["resolution"].isin(["replacement", "apology", "none"])
    assert (complaints.loc[no_money, "compensation_cny"] == 0).all()
    assert (complaints.loc[complaints["resolution"] == "refund", "compensation_cny"] > 0).all()


def test_truth_is_not_merged_into_the_main_tables(tables):
    latent = {"segment", "purchase_rate_per_week", "dropout_prob", "dropout_date", "mean_spend"}
    for name in ["customers", "orders", "raw", "complaints", "survey"]:
        assert not latent & set(tables[name].columns), name


def test_loaders_return_copies():
    orders = datasets.load_orders()
    orders.loc[0, "amount"] = -1.0
    del orders["channel"]
    fresh = datasets.load_orders()
    assert fresh.loc[0, "amount"] > 0 and "channel" in fresh.columns


def test_missing_file_gives_a_clear_error():
    with pytest.raises(FileNotFoundError, match="retailer/nope.csv"):
        datasets.data_path("retailer", "nope.csv")


# --- the messy export -----------------------------------------------------------------------------

def _reference_clean(raw: pd.DataFrame) -> pd.DataFrame:
    """The cleaning the contract describes, written plainly (independent of cvmlib.clean)."""
    category = raw["category"].str.strip().str.lower()
    keep = ((raw["customer_id"] != "") & ~raw["customer_id"].str.startswith("TEST") & (category != "test")
            & ~raw["order_id"].str.startswith("R"))
    out = raw[keep].copy()
    out["category"] = category[keep].map({c.lower(): c for c in datasets.CATEGORIES})
    out["channel"] = out["channel"].str.strip().str.lower()
    parsed = pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns]")
    for fmt in ["%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%d.%m.%Y %H:%M", "%Y-%m-%dT%H:%M:%S"]:
        parsed = parsed.fillna(pd.to_datetime(out["order_date"], format=fmt, errors="coerce"))
    assert parsed.notna().all(), "every raw date parses with one of the documented formats"
    out["order_date"] = parsed.dt.strftime("%Y-%m-%d %H:%M:%S")
    return out.drop_duplicates().sort_values("order_id").reset_index(drop=True)


def test_cleaning_the_raw_export_gives_back_the_clean_orders(tables):
    clean = pd.read_csv(RETAILER / "orders.csv", dtype="str", keep_default_na=False)
    cleaned = _reference_clean(tables["raw"])
    assert cleaned["order_id"].is_unique, "near duplicates collapse once text and dates are normalised"
    pd.testing.assert_frame_equal(cleaned, clean)


def test_returns_refer_to_real_orders(tables):
    raw, orders = tables["raw"], tables["orders"].set_index("order_id")
    returns = raw[raw["order_id"].str.startswith("R")]
    original = orders.loc["O" + returns["order_id"].str[1:]]
    assert (returns["amount"].astype(float).to_numpy() == -original["amount"].to_numpy()).all()
    assert (returns["customer_id"].to_numpy() == original["customer_id"].to_numpy()).all()


def test_problem_rates_and_readme_counts(tables):
    counts = _generator().raw_problem_counts(tables["raw"])
    n = len(tables["orders"])
    for problem, rows in counts.items():
        if not problem.startswith(" "):
            assert 0.01 <= rows / n <= 0.03, f"{problem}: {rows} rows ({rows / n:.1%})"
    readme = (ROOT / "datasets" / "README.md").read_text(encoding="utf-8")
    for problem, rows in counts.items():
        assert re.search(rf"\|\s*{re.escape(problem.strip())}\s*\|\s*{rows:,}\s*\|", readme), \
            f"datasets/README.md does not list '{problem.strip()}' with {rows:,} rows"


def test_readme_row_counts_match_the_files(tables):
    readme = (ROOT / "datasets" / "README.md").read_text(encoding="utf-8")
    listed = {name: int(rows.replace(",", "")) for name, rows in re.findall(r"\| `(\w+)\.csv` \| ([\d,]+) \|", readme)}
    actual = {name: len(tables["raw" if name == "orders_raw" else name]) for name in TABLES}
    assert listed == actual


# --- the story the chapters rely on ---------------------------------------------------------------

def test_buying_is_heterogeneous_with_silent_churn(tables):
    orders, truth = tables["orders"], tables["truth"]
    per_customer = orders.groupby("customer_id").size()
    assert per_customer.std() / per_customer.mean() > 1
    assert 0.25 <= truth["dropout_date"].notna().mean() <= 0.7
    # Dropped-out customers placed their last order on their dropout date and never again.
    last = orders.groupby("customer_id")["order_date"].max().dt.normalize()
    dropped = truth.dropna(subset=["dropout_date"]).set_index("customer_id")["dropout_date"]
    assert (last[dropped.index] == dropped).all()
    # Silent churn: nobody announces leaving, but the dropped-out have gone quiet for much longer.
    days_quiet = (WINDOW[1] - last).dt.days
    alive = truth.loc[truth["dropout_date"].isna(), "customer_id"]
    assert days_quiet[dropped.index].mean() > days_quiet[alive].mean() + 60


def test_segments_differ(tables):
    orders, truth, customers = tables["orders"], tables["truth"], tables["customers"]
    seg = truth.set_index("customer_id")["segment"]
    spend = orders.groupby(orders["customer_id"].map(seg), observed=True)["amount"].mean()
    assert spend["premium_tech"] > 5 * spend["bargain_hunters"]
    assert spend.min() > 50 and spend.max() < 2000
    top_category = orders.groupby(orders["customer_id"].map(seg), observed=True)["category"].agg(
        lambda s: s.value_counts().idxmax())
    assert top_category["premium_tech"] == "Electronics" and top_category["young_fashion"] == "Apparel"
    age = customers.groupby(customers["customer_id"].map(seg), observed=True)["age"].mean()
    assert age["young_fashion"] < 30 < age["occasional_gifters"]


def test_spend_is_independent_of_frequency_within_segments(tables):
    orders, truth = tables["orders"], tables["truth"]
    per = orders.groupby("customer_id").agg(n=("amount", "size"), mean=("amount", "mean"))
    per = per.join(truth.set_index("customer_id")["segment"])
    repeaters = per[per["n"] > 1]
    for segment, group in repeaters.groupby("segment", observed=True):
        r = np.corrcoef(np.log(group["n"]), np.log(group["mean"]))[0, 1]
        assert abs(r) < 0.15, f"{segment}: corr(frequency, mean spend) = {r:.2f}"


def test_complaint_handling_changes_later_buying(tables):
    complaints, orders = tables["complaints"], tables["orders"]
    last = orders.groupby("customer_id")["order_date"].max()
    order_date = orders.set_index("order_id")["order_date"]
    came_back = last[complaints["customer_id"]].to_numpy() > order_date[complaints["order_id"]].to_numpy()
    sat = complaints["satisfaction_after"]
    well, badly = came_back[(sat >= 4).fillna(False).to_numpy()], came_back[(sat <= 2).fillna(False).to_numpy()]
    assert well.mean() - badly.mean() > 0.15


def test_survey_relates_to_segment_and_later_buying(tables):
    survey, truth = tables["survey"], tables["truth"]
    merged = survey.merge(truth, on="customer_id")
    stayed = merged["dropout_date"].isna()
    assert merged.loc[stayed, "nps"].mean() - merged.loc[~stayed, "nps"].mean() > 0.5
    cost = merged.groupby("segment", observed=True)["cost"].mean()
    assert cost.idxmin() == "bargain_hunters"
    assert merged["nps"].corr(merged["consumer_needs_fit"]) > 0.3


# --- CDNOW --------------------------------------------------------------------------------------

def test_cdnow_files_match_provenance():
    provenance = (CDNOW / "PROVENANCE.md").read_text(encoding="utf-8")
    recorded = dict(re.findall(r"(CDNOW_(?:master|sample)\.txt)\W[^\n]*?\b([0-9a-f]{64})\b", provenance))
    assert set(recorded) == {"CDNOW_master.txt", "CDNOW_sample.txt"}
    for name, digest in recorded.items():
        assert hashlib.sha256((CDNOW / name).read_bytes()).hexdigest() == digest, name


@pytest.mark.parametrize(("sample", "customers", "transactions"), [(True, 2357, 6919), (False, 23570, 69659)])
def test_cdnow_counts_are_the_published_ones(sample, customers, transactions):
    cdnow = datasets.load_cdnow(sample=sample)
    assert cdnow.columns.tolist() == ["customer_id", "order_date", "quantity", "amount", "line"]
    assert cdnow["line"].tolist() == list(range(transactions))
    assert cdnow.shape[0] == transactions and cdnow["customer_id"].nunique() == customers
    assert cdnow["order_date"].min() == pd.Timestamp("1997-01-01")
    assert cdnow["order_date"].max() == pd.Timestamp("1998-06-30")
    assert cdnow["order_date"].dtype == "datetime64[ns]" and cdnow["quantity"].dtype == "int64"
    assert (cdnow["amount"] >= 0).all() and (cdnow["quantity"] > 0).all()


def test_cdnow_sample_is_a_subset_of_the_master():
    sample, master = datasets.load_cdnow(sample=True), datasets.load_cdnow(sample=False)
    columns = ["customer_id", "order_date", "quantity", "amount"]  # not `line`: a position in each file
    merged = sample[columns].merge(master[columns].drop_duplicates(), how="left", indicator=True)
    assert (merged["_merge"] == "both").all()


def test_cdnow_is_accepted_as_loaded_although_it_has_identical_rows():
    """Identical rows are separate purchases; the line number keeps them apart (no workaround)."""
    from cvmlib.validate import validate_transactions

    cdnow = datasets.load_cdnow()
    assert cdnow.drop(columns="line").duplicated().any()  # the file really has identical rows
    valid = validate_transactions(cdnow, order_col=None, returns="net")
    assert len(valid) == len(cdnow)
    with pytest.raises(InputError, match="exact duplicates"):
        validate_transactions(cdnow.drop(columns="line"), order_col=None, returns="net")


@pytest.mark.parametrize("sample", ["False", 0, 1, None, "no"])
def test_load_cdnow_sample_must_be_a_bool(sample):
    with pytest.raises(InputError, match=r"sample must be True or False"):
        datasets.load_cdnow(sample)


@pytest.mark.parametrize(("group", "name", "message"), [
    ("retail", "orders.csv", r"group='retail' is not one of \['retailer', 'cdnow'\]\. Did you mean 'retailer'"),
    ("retailer", "../../pyproject.toml", "plain name of a data file"),
    (None, "orders.csv", "group=None"),
])
def test_data_path_refuses_unknown_groups_and_paths(group, name, message):
    with pytest.raises(InputError, match=message):
        datasets.data_path(group, name)


# --- installed from a wheel -------------------------------------------------------------------------

WHEEL_CHECK = textwrap.dedent("""
    import cvmlib, cvmlib.datasets as d
    assert "site" in cvmlib.__file__, cvmlib.__file__
    shapes = {f.__name__: f().shape for f in (d.load_customers, d.load_orders, d.load_orders_raw,
              d.load_complaints, d.load_survey, d.load_truth)}
    shapes["cdnow_sample"] = d.load_cdnow().shape
    shapes["cdnow_master"] = d.load_cdnow(sample=False).shape
    print(shapes)
""")


def test_wheel_ships_the_data(tmp_path, tables):
    dist, site = tmp_path / "dist", tmp_path / "site"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist)], cwd=ROOT,
                   check=True, capture_output=True)
    wheel = next(dist.glob("cvmlib-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site), str(wheel)],
                   check=True, capture_output=True)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"PYTHONPATH": str(site)}
    result = subprocess.run([sys.executable, "-c", WHEEL_CHECK], cwd=tmp_path, env=env, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    shapes = ast.literal_eval(result.stdout)  # the dict of shape tuples printed by the check above
    expected = {f"load_{k}": v.shape for k, v in tables.items() if k != "raw"} | {
        "load_orders_raw": tables["raw"].shape, "cdnow_sample": (6919, 5), "cdnow_master": (69659, 5)}
    assert shapes == expected
