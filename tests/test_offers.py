"""cvmlib.offers: rule counts against a plain set computation, recommendations, the holdout test on the retailer."""

from __future__ import annotations

from itertools import permutations

import numpy as np
import pandas as pd
import pytest

from cvmlib.datasets import load_orders
from cvmlib.offers import category_cooccurrence, evaluate_offers, recommend
from cvmlib.validate import InputError

SPLIT = pd.Timestamp("2025-07-01")


@pytest.fixture(scope="module")
def orders():
    return load_orders()


def _baskets(frame):
    return {c: set(g.astype(str)) for c, g in frame.groupby("customer_id", observed=True)["category"]}


def test_cooccurrence_counts_match_plain_sets(orders):
    rules = category_cooccurrence(orders)
    baskets = _baskets(orders)
    n = len(baskets)
    cats = sorted({c for b in baskets.values() for c in b})
    assert len(rules) == len(cats) * (len(cats) - 1) and rules.attrs["customers"] == n
    for a, b in permutations(cats, 2):
        has_a = sum(a in s for s in baskets.values())
        has_b = sum(b in s for s in baskets.values())
        both = sum(a in s and b in s for s in baskets.values())
        row = rules.loc[(a, b)]
        assert (row["antecedent_customers"], row["consequent_customers"], row["both_customers"]) == (has_a, has_b, both)
        assert row["support"] == pytest.approx(both / n)
        assert row["confidence"] == pytest.approx(both / has_a)
        assert row["lift"] == pytest.approx(both / has_a / (has_b / n))
    assert rules["lift"].is_monotonic_decreasing


def test_segments_show_in_the_rules(orders):
    # families buy Food & Grocery and Baby & Kids (datasets/generate.py): the strongest pair
    rules = category_cooccurrence(orders)
    assert set(rules.index[0]) == {"Food & Grocery", "Baby & Kids"}


def test_recommend_never_offers_what_was_bought_and_ranks(orders):
    recs = recommend(orders, k=3)
    baskets = _baskets(orders)
    assert not any(cat in baskets[c] for c, cat in zip(recs["customer_id"], recs["category"].astype(str)))
    ranks = recs.groupby("customer_id")["rank"].agg(list)
    assert all(r == list(range(1, len(r) + 1)) for r in ranks)
    assert (recs.groupby("customer_id")["score"].apply(lambda s: s.is_monotonic_decreasing)).all()
    first = recs[recs["rank"] == 1].iloc[0]
    assert str(first["because"]) in first["reason"] and str(first["category"]) in first["reason"]


def test_cooccurrence_score_is_the_best_rule_among_bought_categories(orders):
    rules = category_cooccurrence(orders)["confidence"]
    baskets = _baskets(orders)
    recs = recommend(orders, k=1)
    for _i, row in recs.sample(200, random_state=1).iterrows():
        bought = baskets[row["customer_id"]]
        best = max((rules.loc[(a, b)], b) for a in bought for b in rules.index.levels[1]
                   if b not in bought and a != b and rules.loc[(a, b)] > 0)
        assert row["score"] == pytest.approx(best[0])


def test_popularity_is_the_most_bought_category_not_bought_yet(orders):
    share = orders.groupby("customer_id", observed=True)["category"].agg(lambda s: set(s.astype(str)))
    counts = pd.Series([c for b in share for c in b]).value_counts()
    recs = recommend(orders, method="popularity").set_index("customer_id")
    for cid in share.index[:300]:
        left = counts[[c for c in counts.index if c not in share[cid]]]
        if len(left):
            assert recs.loc[cid, "category"] == left.index[0]


def test_exclude_bought_false_can_offer_repeat_categories(orders):
    recs = recommend(orders, k=2, exclude_bought=False)
    baskets = _baskets(orders)
    assert any(cat in baskets[c] for c, cat in zip(recs["customer_id"], recs["category"].astype(str)))


def _plain_hits(orders, method, k=1):
    train, test = orders[orders["order_date"] < SPLIT], orders[orders["order_date"] >= SPLIT]
    later = _baskets(test)
    recs = recommend(train, k=k, method=method)
    hit = recs.assign(hit=[cat in later.get(c, set()) for c, cat in zip(recs["customer_id"],
                                                                       recs["category"].astype(str))])
    return hit.groupby("customer_id")["hit"].any(), set(later)


def test_evaluate_offers_counts_match_a_plain_computation(orders):
    table = evaluate_offers(orders, SPLIT)
    n_train = orders.loc[orders["order_date"] < SPLIT, "customer_id"].nunique()
    for method in ("cooccurrence", "popularity"):
        hits, came_back = _plain_hits(orders, method)
        row = table.loc[method]
        assert row["customers"] == len(hits) and row["hits"] == int(hits.sum())
        assert row["active"] == len(set(hits.index) & came_back)
        assert row["hit_rate"] == pytest.approx(hits.mean())
        assert row["customer_coverage"] == pytest.approx(len(hits) / n_train)


def test_cooccurrence_beats_popularity_on_the_retailer(orders):
    co, _ = _plain_hits(orders, "cooccurrence")
    pop, _ = _plain_hits(orders, "popularity")
    pop = pop.reindex(co.index)
    # paired (McNemar) test: customers hit by one method only
    only_co, only_pop = int((co & ~pop).sum()), int((~co & pop).sum())
    assert (only_co - only_pop) / np.sqrt(only_co + only_pop) > 2
    table = evaluate_offers(orders, SPLIT)
    assert table.loc["cooccurrence", "hit_rate"] > table.loc["popularity", "hit_rate"]


def test_holdout_end_limits_the_holdout(orders):
    short = evaluate_offers(orders, SPLIT, holdout_end="2025-10-01")
    full = evaluate_offers(orders, SPLIT)
    assert (short["hits"] <= full["hits"]).all() and (short["active"] < full["active"]).all()


@pytest.mark.parametrize(("call", "needle"), [
    (lambda o: category_cooccurrence(o.drop(columns="category")), "category"),
    (lambda o: recommend(o, k=0), "k must be at least 1"),
    (lambda o: recommend(o, method="popular"), "cooccurrence"),
    (lambda o: recommend(o, exclude_bought="yes"), "exclude_bought"),
    (lambda o: evaluate_offers(o, "2027-01-01"), "split_date"),
    (lambda o: evaluate_offers(o, "2020-01-01"), "split_date"),
    (lambda o: evaluate_offers(o, SPLIT, holdout_end="2025-01-01"), "holdout_end"),
    (lambda o: recommend(o.assign(customer_id=o["customer_id"].where(o.index != 3))), "customer_id"),
])
def test_bad_input_is_a_clear_input_error(orders, call, needle):
    with pytest.raises(InputError, match=needle):
        call(orders)
