"""A team's plan for one round: its own segments and yuan per segment and action.

A :class:`Plan` is checked completely when it is made (segment labels, actions, amounts, the
round's budget) and against the world when it is submitted (every customer must exist), so a
mistake is one clear :class:`~cvmlib.validate.InputError` naming the segment, the action and the
amount, before anything is simulated.

How the money is used: a segment's yuan for an action are shared equally by the segment's treated
customers (everyone in the segment except the round's randomised holdout, :data:`HOLDOUT_SHARE` =
20 % of each segment). Customers the plan leaves out get nothing: customers who signed up in an
earlier round are in the world (:attr:`cvmlib.sandbox.game.Game.world`) but only in the plan when
the team's segments name them; the round's totals count the customers left out (``unassigned``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from cvmlib.i18n import _, format_money
from cvmlib.sandbox.response import ACTIONS, PAID_ACTIONS
from cvmlib.sandbox.world import HOLDOUT_SHARE, ROUND_BUDGET, World
from cvmlib.validate import InputError, require_known, require_present, require_unique, suggest_name

__all__ = ["MIN_SEGMENT_SIZE", "Plan", "draw_holdout"]

#: A team segment needs this many customers so that its holdout can measure anything.
MIN_SEGMENT_SIZE = 20


def _amount_text(value: Any) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else repr(value)


class Plan:
    """Team segments and a budget per segment and action, validated when made.

    Parameters
    ----------
    segments : pandas.Series
        customer_id (index) -> the team's segment label (text). Customers left out get nothing.
    budget : mapping
        segment label -> mapping action -> yuan for the round. Actions are
        :data:`~cvmlib.sandbox.response.ACTIONS`; ``"nothing"`` may only be 0. The total may not exceed
        :data:`~cvmlib.sandbox.world.ROUND_BUDGET`. A segment without an entry gets nothing.

    Examples
    --------
    >>> import pandas as pd
    >>> seg = pd.Series(["a"] * 30 + ["b"] * 30, index=[f"C{i:05d}" for i in range(1, 61)])
    >>> plan = Plan(seg, {"a": {"coupon": 600}, "b": {"loyalty_points": 900.0}})
    >>> plan.total
    1500.0
    >>> Plan(seg, {"a": {"coupons": 600}})
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: Segment 'a': action 'coupons' is not one of ...: Did you mean 'coupon'?
    >>> Plan(seg, {"c": {"coupon": 600}})
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: The budget names segment 'c', which no customer of segments has. ...
    """

    def __init__(self, segments: pd.Series, budget: Mapping[str, Mapping[str, float]]) -> None:
        self.segments = self._check_segments(segments)
        self.budget = self._check_budget(budget, self.segments)

    # --- validation -------------------------------------------------------------------------
    @staticmethod
    def _check_segments(segments: Any) -> pd.Series:
        if not isinstance(segments, pd.Series):
            raise InputError(_("segments must be a pandas Series customer_id -> segment label; got {type}.").format(
                type=type(segments).__name__))
        if segments.empty:
            raise InputError(_("segments is empty: give every customer you want to treat a segment label."))
        ids = pd.Series(segments.index, index=segments.index)
        require_present(ids, "segments.index", what=_("a customer id"))
        require_unique(segments.index, "segments.index", what=_("customer id"))
        labels = require_present(segments, "segments", what=_("a segment label"))
        not_text = ~labels.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
        if not_text.any():
            example = labels[not_text].iloc[0]
            raise InputError(_("segments has {n:,} labels that are not text (e.g. {value!r}): name segments with "
                               "text such as 'loyal', e.g. segments.astype(str).").format(
                                   n=int(not_text.sum()), value=example))
        clean = labels.str.strip()
        sizes = clean.value_counts()
        small = sizes[sizes < MIN_SEGMENT_SIZE]
        if len(small):
            raise InputError(_("Segment {segment!r} has {n:,} customers; every segment needs at least {minimum} so "
                               "that its holdout can measure the effect. Merge it with another segment.").format(
                                   segment=small.index[0], n=int(small.iloc[0]), minimum=MIN_SEGMENT_SIZE))
        out = pd.Series(clean.to_numpy(dtype=object), index=segments.index.astype(str), name="segment")
        out.index.name = "customer_id"
        return out

    @staticmethod
    def _check_budget(budget: Any, segments: pd.Series) -> dict[str, dict[str, float]]:
        if not isinstance(budget, Mapping):
            raise InputError(_("budget must be a mapping segment -> {{action: yuan}}; got {type}.").format(
                type=type(budget).__name__))
        labels = sorted(set(segments))
        out: dict[str, dict[str, float]] = {}
        for segment, actions in budget.items():
            if segment not in labels:
                guess = suggest_name(segment, labels) if isinstance(segment, str) else None
                text = _("The budget names segment {segment!r}, which no customer of segments has. Segments: "
                         "{labels}.").format(segment=segment, labels=labels[:12])
                if guess is not None:
                    text += " " + _("Did you mean {guess!r}?").format(guess=guess)
                raise InputError(text)
            if not isinstance(actions, Mapping):
                raise InputError(_("The budget of segment {segment!r} must be a mapping action -> yuan; got "
                                   "{type}.").format(segment=segment, type=type(actions).__name__))
            row: dict[str, float] = {}
            for action, amount in actions.items():
                if action not in ACTIONS:
                    guess = suggest_name(action, list(ACTIONS)) if isinstance(action, str) else None
                    text = _("Segment {segment!r}: action {action!r} is not one of {actions}.").format(
                        segment=segment, action=action, actions=list(ACTIONS))
                    if guess is not None:
                        text += ": " + _("Did you mean {guess!r}?").format(guess=guess)
                    raise InputError(text)
                row[action] = Plan._check_amount(segment, action, amount)
            out[segment] = row
        total = sum(sum(row.values()) for row in out.values())
        if total > ROUND_BUDGET + 1e-6:
            biggest = sorted(((v, s, a) for s, row in out.items() for a, v in row.items()), reverse=True)[:3]
            items = "; ".join(_("{segment!r}/{action!r}: {amount}").format(segment=s, action=a, amount=format_money(v))
                              for v, s, a in biggest)
            raise InputError(_("The plan spends {total} but the round's budget is {budget}: {over} too much. The "
                               "largest items: {items}.").format(total=format_money(total),
                                                                 budget=format_money(ROUND_BUDGET),
                                                                 over=format_money(total - ROUND_BUDGET),
                                                                 items=items))
        return out

    @staticmethod
    def _check_amount(segment: str, action: str, amount: Any) -> float:
        if isinstance(amount, (bool, np.bool_)) or not isinstance(amount, (int, float, np.integer, np.floating)):
            raise InputError(_("The budget for segment {segment!r}, action {action!r} is {amount!r} ({type}): it "
                               "must be a number of yuan.").format(segment=segment, action=action, amount=amount,
                                                                   type=type(amount).__name__))
        value = float(amount)
        if not math.isfinite(value):
            raise InputError(_("The budget for segment {segment!r}, action {action!r} is {amount}: it must be a "
                               "finite number of yuan.").format(segment=segment, action=action, amount=value))
        if value < 0:
            raise InputError(_("The budget for segment {segment!r}, action {action!r} is {amount} yuan: amounts "
                               "cannot be negative (leave the action out, or put 0).").format(
                                   segment=segment, action=action, amount=_amount_text(amount)))
        if action == "nothing" and value > 0:
            raise InputError(_("The budget for segment {segment!r}, action 'nothing' is {amount} yuan: doing nothing "
                               "costs nothing, so its amount must be 0.").format(
                                   segment=segment, amount=_amount_text(amount)))
        return value

    def check(self, world: World) -> Plan:
        """Every customer of the plan exists in ``world`` (else an InputError showing them)."""
        frame = self.segments.rename_axis("customer_id").reset_index()
        require_known(frame["customer_id"], world.ids, "segments.index", known_name=_("the sandbox's customers"),
                      frame=frame, columns=["customer_id", "segment"],
                      fix=_("Use the customer_id values of the sandbox's customers table."))
        return self

    # --- reading ------------------------------------------------------------------------------
    @property
    def total(self) -> float:
        """Yuan the plan spends in the round."""
        return float(sum(sum(row.values()) for row in self.budget.values()))

    def spend_table(self) -> pd.DataFrame:
        """Segment x paid action, yuan (0 where the plan spends nothing).

        Examples
        --------
        >>> seg = pd.Series(["a"] * 25, index=[f"C{i:05d}" for i in range(1, 26)])
        >>> Plan(seg, {"a": {"coupon": 500}}).spend_table().loc["a", "coupon"]
        np.float64(500.0)
        """
        labels = sorted(set(self.segments))
        table = pd.DataFrame(0.0, index=pd.Index(labels, name="segment"), columns=list(PAID_ACTIONS))
        for segment, row in self.budget.items():
            for action, amount in row.items():
                if action in PAID_ACTIONS:
                    table.loc[segment, action] = amount
        return table

    def labels_for(self, world: World) -> np.ndarray:
        """The team segment of every world customer (``None`` for customers the plan leaves out)."""
        return self.segments.reindex(world.ids).astype(object).where(lambda s: s.notna(), None).to_numpy()

    def spend_per_customer(self, world: World, holdout: np.ndarray) -> np.ndarray:
        """Yuan per world customer and paid action (n x 5): a segment's yuan shared by its treated."""
        labels = self.labels_for(world)
        spend = np.zeros((len(world), len(PAID_ACTIONS)))
        table = self.spend_table()
        for segment in table.index:
            treated = (labels == segment) & ~holdout
            n = int(treated.sum())
            if n:
                spend[treated] = table.loc[segment].to_numpy() / n
        return spend

    # --- files --------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {"segments": {str(k): str(v) for k, v in self.segments.items()}, "budget": self.budget}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Plan:
        return cls(pd.Series(data["segments"], dtype=object), data["budget"])

    def __repr__(self) -> str:
        return f"Plan({len(self.segments):,} customers, {len(set(self.segments))} segments, {self.total:,.0f} yuan)"


def draw_holdout(labels: np.ndarray, seed: int, round_no: int, share: float = HOLDOUT_SHARE) -> np.ndarray:
    """A randomised holdout stratified by team segment: ``share`` of each segment (at least 2).

    Drawn from (seed, round) only, so a team's holdout does not depend on its budget.

    Examples
    --------
    >>> labels = np.array(["a"] * 50 + ["b"] * 30 + [None] * 5, dtype=object)
    >>> h = draw_holdout(labels, seed=1, round_no=1)
    >>> int(h[:50].sum()), int(h[50:80].sum()), int(h[80:].sum())
    (10, 6, 0)
    """
    rng = np.random.default_rng(np.random.SeedSequence([seed, round_no, 1]))
    holdout = np.zeros(len(labels), dtype=bool)
    present = np.array([v is not None for v in labels])
    for segment in sorted({str(v) for v in labels[present]}):
        members = np.flatnonzero(present & (labels == segment))
        k = max(2, int(round(share * len(members))))
        holdout[rng.permutation(members)[:k]] = True
    return holdout
