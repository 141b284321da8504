"""The report page: one self-contained HTML file (CSS, figures and the Chinese font inline).

Nothing on the page is fetched from anywhere: figures are ``data:`` PNGs, the font a ``data:`` WOFF2,
there is no script and no link to another host. Every text goes through :func:`cvmlib.i18n._`, so
``--lang zh`` gives a page entirely in Chinese (data values such as customer ids stay as they are).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from cvmlib.display import label
from cvmlib.i18n import N_, _, format_date, format_money, format_number, get_language
from cvmlib.report.analysis import (AHEAD_DAYS, GOOD_BIN_ERROR, GOOD_TOTAL_ERROR, MIN_BIN_CUSTOMERS,
                                    MIN_REPEAT_BUYERS, MIN_SPAN_DAYS, MONTH_DAYS, TRUST_RULES, USABLE_BIN_ERROR,
                                    USABLE_TOTAL_ERROR, WEEK_DAYS, Analysis)
from cvmlib.report.cleaning import STEP_TEXTS, CleanExport
from cvmlib.report.exports import EXPORT_COLUMNS
from cvmlib.report.figures import (frequency_recency_figure, holdout_figure, lorenz_figure, p_alive_figure,
                                   segments_figure)
from cvmlib.report.fonts import FONT_FAMILY, font_face_css
from cvmlib.report.mapping import ROLE_NAMES, ColumnMapping
from cvmlib.report.reader import ReadResult

__all__ = ["COLUMN_GLOSSARY", "EARLY_WARNING_SHOWN", "PARAMETER_MEANINGS", "VERDICT_TEXTS", "render_report"]

#: How many early-warning customers the page lists (the customer file flags all of them).
EARLY_WARNING_SHOWN = 30

VERDICT_TEXTS: dict[str, str] = {
    "usable": N_("Usable for decisions"),
    "caution": N_("Use with caution: rank customers with it, do not set budgets by it"),
    "do_not_use": N_("Do not use for decisions"),
}
_VERDICT_CLASS = {"usable": "good", "caution": "warn", "do_not_use": "bad"}
_HOW = {"given": N_("given (option)"), "guessed": N_("guessed from the name"), "none": N_("none: each row is one order")}
_RETURNS = {"error": N_("error (stop if there are any)"), "net": N_("net (subtract from spend)"),
            "exclude": N_("exclude (leave out)")}
#: What each fitted parameter stands for (English msgids), in the order of the models' summaries.
PARAMETER_MEANINGS: dict[str, str] = {
    "r": N_("shape of the purchase rates across customers (small: very unequal buyers)"),
    "alpha": N_("scale of the purchase rates, in weeks (r / alpha: mean purchases a week while active)"),
    "a": N_("dropout after a purchase, Beta(a, b): mean probability a / (a + b)"),
    "b": N_("dropout after a purchase, Beta(a, b): large a + b means similar customers"),
    "p": N_("shape of the spend per purchase of one customer"),
    "q": N_("shape of the customers' mean spend per purchase (above 1 for the mean to exist)"),
    "gamma": N_("scale of the customers' mean spend, in money (mean spend per purchase p x gamma / (q - 1))"),
}

#: The model columns of the customer file explained in the notes (column -> English msgid; see _glossary).
COLUMN_GLOSSARY: dict[str, str] = {
    "p_alive": N_("The probability that the customer is still active (\"alive\") at the snapshot, from BG/NBD. It is "
                  "1 for customers without a repeat purchase: the model cannot see them leave."),
    "p_alive_in_90_days": N_("The probability that the customer is still active {days} days ({weeks:.1f} weeks) after "
                             "the snapshot, seen from today, whether or not they buy in between. Never above P(alive): "
                             "the difference is the risk of leaving within {days} days; unlike P(alive) it is below 1 "
                             "for one-time buyers too."),
    "p_no_purchase_90_days": N_("The probability that the customer makes no purchase at all in the {days} days after "
                                "the snapshot: those already gone plus those still active who do not buy in time. A "
                                "high value for a valuable customer is a reason to get in touch within those {days} "
                                "days."),
    "dert": N_("Discounted expected residual transactions: the expected number of all future purchases, without a "
               "horizon, each discounted back to the snapshot. The report's rate of {monthly:.2%} a month becomes "
               "the continuous weekly rate ln(1 + {monthly:g}) / (30.4375 / 7) = {weekly:.6f} a week (a month is "
               "30.4375 days and the model counts in weeks). DERT x expected spend per purchase x margin is the "
               "customer's remaining value with no end date (the CLV column stops after {horizon} months)."),
}

#: The look-ahead columns of the early-warning list (headers from the customer file's).
_AHEAD_COLUMNS = ("p_alive_in_90_days", "p_no_purchase_90_days", "dert")
_MIGRATION = {"years": N_("the 12 months before against the last 12 months"),
              "halves": N_("the first half of the data window against the second half")}

_CSS = """
:root{--ink:#1f2933;--muted:#52606d;--line:#d9e2ec;--bg:#f5f7fa;--accent:#2f6f9f}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.55 '__CJK__',"DejaVu Sans","Segoe UI",
 Helvetica,Arial,"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif}
main{max-width:1040px;margin:0 auto;padding:24px 28px 48px;background:#fff;min-height:100vh}
h1{font-size:26px;margin:0 0 4px} h2{font-size:20px;margin:36px 0 10px;padding-bottom:4px;
 border-bottom:2px solid var(--line)} h3{font-size:16px;margin:20px 0 6px}
p.sub{color:var(--muted);margin:0 0 18px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(180px,1fr));gap:12px;margin:16px 0}
.card{border:1px solid var(--line);border-radius:8px;padding:10px 14px}
.card b{display:block;font-size:20px} .card span{color:var(--muted);font-size:13px}
table{border-collapse:collapse;width:100%;margin:8px 0 14px;font-size:13.5px}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{background:#eef2f7;font-weight:600} td.n,th.n{text-align:right} td.n{white-space:nowrap}
caption{caption-side:top;text-align:left;color:var(--muted);font-size:13px;padding:2px 0 4px}
figure{margin:10px 0 18px;text-align:center} figure img{max-width:100%;height:auto}
figcaption{color:var(--muted);font-size:13px}
.verdict{border-radius:8px;padding:12px 16px;margin:12px 0;border-left:6px solid}
.verdict.good{background:#e3f9e5;border-color:#27ab83} .verdict.warn{background:#fffbea;border-color:#f0b429}
.verdict.bad{background:#ffeeee;border-color:#e12d39} .verdict b{font-size:17px}
ul.notes li{color:var(--muted)} code{background:#eef2f7;padding:0 3px;border-radius:3px}
footer{color:var(--muted);font-size:12.5px;margin-top:36px}
"""


def _day(stamp: pd.Timestamp) -> str:
    """A day as the language writes it (2026-01-05 / 2026年1月5日)."""
    return format_date(pd.Timestamp(stamp).date())


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _pct(value: float, decimals: int = 1) -> str:
    return "–" if value is None or not np.isfinite(value) else f"{value:.{decimals}%}"


def _num(value: float, decimals: int = 0) -> str:
    return "–" if value is None or not np.isfinite(value) else format_number(value, decimals)


def _money(value: float) -> str:
    return "–" if value is None or not np.isfinite(value) else format_money(value, 0 if abs(value) >= 1000 else 2)


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]], numeric: Sequence[int] = (),
           caption: str | None = None) -> str:
    """An HTML table; ``numeric`` are the right-aligned column positions. Cells are escaped text."""
    right = set(numeric)
    head = "".join(f'<th class="n">{_e(h)}</th>' if i in right else f"<th>{_e(h)}</th>"
                   for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(f'<td class="n">{_e(c)}</td>' if i in right else f"<td>{_e(c)}</td>"
                                    for i, c in enumerate(row)) + "</tr>" for row in rows)
    cap = f"<caption>{_e(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _p(text: str) -> str:
    return f"<p>{_e(text)}</p>"


def _h2(text: str) -> str:
    return f"<h2>{_e(text)}</h2>"


def _h3(text: str) -> str:
    return f"<h3>{_e(text)}</h3>"


def _figure(png: str, caption: str) -> str:
    return (f'<figure><img alt="{_e(caption)}" src="data:image/png;base64,{png}">'
            f"<figcaption>{_e(caption)}</figcaption></figure>")


def _cards(items: Sequence[tuple[str, str]]) -> str:
    return '<div class="cards">' + "".join(f'<div class="card"><b>{_e(v)}</b><span>{_e(k)}</span></div>'
                                           for k, v in items) + "</div>"


def _section_data(read: ReadResult, mapping: ColumnMapping, cleaning: CleanExport, a: Analysis,
                  returns: str) -> str:
    if read.kind == "csv":
        source = _("CSV, encoding {encoding}, delimiter {delimiter}").format(
            encoding=str(read.encoding).upper(), delimiter=_("tab") if read.delimiter == "\t" else repr(read.delimiter))
    elif read.kind == "xlsx":
        source = _("Excel workbook, sheet {sheet!r}").format(sheet=read.sheet)
    else:
        source = _("Parquet file")
    facts = [
        (_("file"), read.path.name), (_("format"), source),
        (_("rows read"), _num(cleaning.rows_read)), (_("rows analysed"), _num(a.rows)),
        (_("purchases (amount > 0)"), _num(a.purchases)), (_("returns kept (amount <= 0)"), _num(a.returns)),
        (_("customers"), _num(a.customers)),
        (_("first and last purchase day"), f"{_day(a.first_day)} – {_day(a.last_day)}"),
        (_("snapshot (the 'as of' day)"), _day(a.snapshot) + ("" if a.snapshot_given else
                                                                    _(" (the day after the last purchase)"))),
        (_("returns policy"), _(_RETURNS[returns])),
    ]
    out = [_h2(_('1. Data check')),
           _table([_("item"), _("value")], facts, caption=_("What was read"))]
    roles = [(_(ROLE_NAMES[role]), col if col is not None else "–", _(_HOW[mapping.how[role]]))
             for role, col in (("customer", mapping.customer), ("date", mapping.date),
                               ("amount", mapping.amount), ("order", mapping.order))]
    out.append(_table([_("role"), _("column"), _("how it was chosen")], roles,
                      caption=_("Column mapping (change it with --customer-col, --date-col, --amount-col, "
                                "--order-col)")))
    rows = []
    for step in cleaning.steps:
        action, rule, why = STEP_TEXTS[step.key]
        rows.append((_(action), _(rule), _num(step.rows), _(why).format(prefix=cleaning.test_prefix),
                     ", ".join(str(r) for r in step.example_rows)))
    if rows:
        out.append(_table([_("action"), _("rule"), _("rows"), _("reason"), _("example lines in the file")], rows,
                          numeric=[2], caption=_("What cleaning did: every removed or changed row is counted "
                                                 "here")))
    else:
        out.append(_p(_('Cleaning found nothing to remove or change.')))
    return "".join(out)


def _section_rfm(a: Analysis) -> str:
    seg = a.segments
    shown = [(name, r) for name, r in seg.iterrows() if r.customers > 0]
    rows = [(label(name), _num(r.customers), _pct(r.customer_share), _money(r.revenue), _pct(r.revenue_share),
             _num(r.mean_recency), _num(r.mean_frequency, 1), _money(r.mean_monetary)) for name, r in shown]
    headers = [_("segment"), _("customers"), _("share of customers"), _("revenue"), _("share of revenue"),
               _("mean recency (days)"), _("mean orders"), _("mean spend")]
    actions = [(label(name), _num(r.customers), _(r.strategy)) for name, r in shown]
    intro = _("Recency R, frequency F and monetary M are scored 1-5 by quantiles (5 = best); segments come from "
              "the R x F grid. Recency is days from the last purchase to the snapshot; frequency counts distinct "
              "orders; monetary is total spend in the data window.")
    return "".join([_h2(_("2. RFM segments and what to do with each")), _p(intro),
                    _table(headers, rows, numeric=[1, 2, 3, 4, 5, 6, 7], caption=_("Size and value of each segment")),
                    _figure(segments_figure(seg), _("Each segment's share of customers and of revenue")),
                    _table([_("segment"), _("customers"), _("recommended action")], actions, numeric=[1],
                           caption=_("What to do with each segment"))])


def _section_value(a: Analysis) -> str:
    t = a.tier_summary
    rows = [(tier, _num(r.customers), _pct(r.customer_share), _money(r.revenue), _pct(r.revenue_share))
            for tier, r in t.iterrows()]
    intro = _("Tier A holds the customers who make the first 80% of spend (the most valuable first), B the next "
              "15%, C the last 5%.")
    parts = [_h2(_('3. Value tiers and concentration')), _p(intro),
             _cards([(_("Gini coefficient of spend"), f"{a.gini:.3f}"),
                     (_("share of spend from the top 20% of customers"), _pct(a.top20_share)),
                     (_("customers in tier A"), _num(t.loc["A", "customers"]))]),
             _table([_("tier"), _("customers"), _("share of customers"), _("revenue"), _("share of revenue")], rows,
                    numeric=[1, 2, 3, 4])]
    if a.negative_spend:
        parts.append(_p(_('{n:,} customer(s) returned more than they bought: their spend counts as 0 for '
                                 'the tiers and the concentration.').format(n=a.negative_spend)))
    spend = a.rfm["monetary"].clip(lower=0)
    parts.append(_figure(lorenz_figure(spend), _("Lorenz curve of spend")))
    return "".join(parts)


def _rule_texts(a: Analysis) -> list[str]:
    weeks = a.holdout.holdout_weeks if a.holdout is not None else "–"
    values = dict(holdout_weeks=weeks, min_weeks=MIN_SPAN_DAYS // 7, min_repeat=MIN_REPEAT_BUYERS,
                  usable_total=USABLE_TOTAL_ERROR, min_bin=MIN_BIN_CUSTOMERS, usable_bin=USABLE_BIN_ERROR,
                  good_total=GOOD_TOTAL_ERROR, good_bin=GOOD_BIN_ERROR)
    return [_(rule).format(**values) for rule in TRUST_RULES]


def _section_clv(a: Analysis) -> str:
    v = a.verdict
    verdict_title = _("Can the model be trusted on these data?") + " " + _(VERDICT_TEXTS[v.level])
    parts = [_h2(_("4. Customer lifetime value (BG/NBD + Gamma-Gamma)")),
             f'<div class="verdict {_VERDICT_CLASS[v.level]}"><b>{_e(verdict_title)}</b><ul>'
             + "".join(f"<li>{_e(r)}</li>" for r in v.reasons) + "</ul></div>",
             _h3(_("The rule")) + "<ol>" + "".join(f"<li>{_e(t)}</li>" for t in _rule_texts(a)) + "</ol>"]
    intro = _("CLV = expected purchases in the next {horizon} months (BG/NBD) x expected spend per purchase "
              "(Gamma-Gamma) x margin {margin:.0%}, discounted at {rate:.1%} a month. P(alive) is the model's "
              "probability that the customer still buys.").format(horizon=a.horizon, margin=a.margin,
                                                                   rate=a.discount_rate)
    btyd = a.rfm
    total = float(btyd["clv"].sum())
    parts += [f"<p>{_e(intro)}</p>",
              _cards([(_("expected value of all customers, next {n} months").format(n=a.horizon), _money(total)),
                      (_("mean CLV per customer"), _money(total / max(len(btyd), 1))),
                      (_("mean P(alive)"), _pct(float(btyd["p_alive"].mean()))),
                      (_("expected purchases, next {n} months").format(n=a.horizon),
                       _num(float(btyd["expected_purchases"].sum())))])]
    by = btyd.groupby("segment", observed=True).agg(customers=("clv", "size"), clv=("clv", "sum"),
                                                    mean_clv=("clv", "mean"), p_alive=("p_alive", "mean"))
    by = by[by["customers"] > 0].sort_values("clv", ascending=False)
    parts.append(_table([_("segment"), _("customers"), _("CLV, total"), _("CLV, mean"), _("mean P(alive)")],
                        [(label(s), _num(r.customers), _money(r.clv), _money(r.mean_clv), _pct(r.p_alive))
                         for s, r in by.iterrows()], numeric=[1, 2, 3, 4],
                        caption=_("Expected value by segment")))
    h = a.holdout
    if h is not None:
        parts.append(_h3(_("The holdout check")))
        parts.append(_p(_('Calibration period: up to {end}; holdout period: the {weeks} weeks after. The model '
                                'fitted on the calibration period forecasts each group of customers.').format(
                                    end=_day(h.calibration_end), weeks=h.holdout_weeks)))
        parts.append(_figure(holdout_figure(h.table), _("Mean purchases in the holdout period: actual against "
                                                        "the model")))
        rows = [(g, _num(r.customers), _num(r.actual, 2), _num(r.model, 2),
                 _pct((r.model - r.actual) / r.actual) if r.actual > 0 else "–") for g, r in h.table.iterrows()]
        parts.append(_table([_("repeat purchases in the calibration period"), _("customers"), _("actual, mean"),
                             _("model, mean"), _("gap")], rows, numeric=[1, 2, 3, 4]))
    parts.append(_section_matrices(a))
    parts.append(_section_parameters(a))
    return "".join(parts)


def _section_matrices(a: Analysis) -> str:
    """The P(alive) and the frequency-recency matrix at the median T (the figures the CRM team reads customers by)."""
    if a.purchase_model is None or not np.isfinite(a.typical_T) or a.typical_T <= 0:
        return ""
    weeks = a.horizon * MONTH_DAYS / WEEK_DAYS
    values = dict(T=a.typical_T, F=a.matrix_frequency, weeks=weeks, horizon=a.horizon)
    intro = _("Both matrices describe a customer first seen {T:g} weeks before the snapshot: the median T (time "
              "since the first purchase) of the customers. Up: repeat purchases (frequency, 0 to {F}, which covers "
              "95% of the customers); across: weeks from the first to the last purchase (recency; not the RFM "
              "recency in days). Blank cells cannot occur (no repeat purchase, yet a recency above 0).").format(
                  **values)
    alive = _("P(alive) at the snapshot by frequency and recency, T = {T:g} weeks (the median). Bottom right (bought "
              "recently) is active; top left (bought often, but long ago) has probably left: these are the "
              "customers to win back first.").format(**values)
    expected = _("Expected purchases in the next {weeks:.1f} weeks (the report's horizon of {horizon} months) by "
                 "frequency and recency, T = {T:g} weeks (the median). The same frequency is worth much less when "
                 "the last purchase is long ago.").format(**values)
    return "".join([_h3(_("Reading a customer off the model")), _p(intro),
                    _figure(p_alive_figure(a.purchase_model, a.typical_T, a.matrix_frequency), alive),
                    _figure(frequency_recency_figure(a.purchase_model, a.typical_T, weeks, a.matrix_frequency),
                            expected)])


def _section_parameters(a: Analysis) -> str:
    """The fitted parameters of both models with standard errors and 95% intervals (model.summary())."""
    rows = []
    for model, table, params in (("BG/NBD", a.purchase_summary, a.purchase_params),
                                 ("Gamma-Gamma", a.spend_summary, a.spend_params)):
        if table is None:
            rows += [(model, name, f"{value:.4g}", "–", "–", _(PARAMETER_MEANINGS.get(name, "")))
                     for name, value in params.items()]
            continue
        for name, r in table.iterrows():
            rows.append((model, name, f"{r.estimate:.4g}", f"{r.standard_error:.4g}",
                         f"{r.lower_95:.4g} – {r.upper_95:.4g}", _(PARAMETER_MEANINGS.get(str(name), ""))))
    if not rows:
        return ""
    return "".join([
        _h3(_("The fitted parameters")),
        _table([_("model"), _("parameter"), _("estimate"), _("standard error"), _("95% interval"), _("meaning")],
               rows, numeric=[2, 3, 4],
               caption=_("Fitted in weeks on the whole period; standard errors from the observed information, the "
                         "interval on the log scale (always positive)")),
        _p(_("A wide interval means the data pin that parameter down only loosely (few repeat buyers, a short "
             "period): forecasts built on it are less certain than their decimals suggest, so read CLV as an "
             "order of magnitude and rank customers rather than budget by it."))])


def _section_warning(a: Analysis) -> str:
    w = a.early_warning
    intro = _("Customers of tier A whose P(alive) is below {threshold:.0%}: valuable, and probably slipping away. "
              "Contact them first. (BG/NBD gives one-time buyers P(alive) = 100%, so for them look at recency "
              "instead.)").format(threshold=a.alive_threshold)
    parts = [_h2(_('5. Early warning: valuable customers at risk')), _p(intro)]
    if w.empty:
        parts.append(_p(_('No customer of tier A is below the threshold.')))
        return "".join(parts)
    rows = [(cid, label(r.segment), _money(r.monetary), _num(r.recency), _num(r.frequency), _pct(r.p_alive),
             _pct(r.p_alive_in_90_days), _pct(r.p_no_purchase_90_days), _num(r.dert, 2), _money(r.clv),
             _(_strategy(r.segment))) for cid, r in w.head(EARLY_WARNING_SHOWN).iterrows()]
    caption = _("{shown} of {n:,} customers, highest spend first; all are flagged in the customer file").format(
        shown=min(EARLY_WARNING_SHOWN, len(w)), n=len(w))
    ahead = [_(EXPORT_COLUMNS[column]) for column in _AHEAD_COLUMNS]
    parts.append(_table([_("customer"), _("segment"), _("spend"), _("recency (days)"), _("orders"), _("P(alive)"),
                         *ahead, _("CLV"), _("recommended action")], rows,
                        numeric=[2, 3, 4, 5, 6, 7, 8, 9], caption=caption))
    parts.append(_p(_("The three columns after P(alive) look {days} days ahead; the notes at the end explain "
                      "them.").format(days=AHEAD_DAYS)))
    return "".join(parts)


def _strategy(segment: str) -> str:
    from cvmlib.rfm import SEGMENT_STRATEGIES

    return SEGMENT_STRATEGIES.get(str(segment), "")


def _section_migration(a: Analysis) -> str:
    parts = [_h2(_('6. Tier migration'))]
    m = a.migration
    if m is None:
        parts.append(_p(_('The data cover less than 26 weeks: too short to compare two periods.')))
        return "".join(parts)
    parts.append(_p(_('Periods compared: {kind}: {b0} – {b1} against {a0} – {a1}. Tiers are A/B/C by spend '
                            'within each period; new = bought only in the later period, gone = only in the '
                            'earlier one.').format(kind=_(_MIGRATION[m.kind]), b0=_day(m.before[0]),
                                                  b1=_day(m.before[1]), a0=_day(m.after[0]),
                                                  a1=_day(m.after[1]))))
    counts, shares = m.transitions.counts, m.transitions.shares

    def name(tier: str) -> str:
        return {"new": _("new"), "gone": _("gone")}.get(tier, tier)

    rows = [[name(row)] + [f"{_num(counts.loc[row, col])} ({_pct(shares.loc[row, col], 0)})" for col in counts.columns]
            for row in counts.index]
    parts.append(_table([_("earlier tier \\ later tier")] + [name(c) for c in counts.columns], rows,
                        numeric=list(range(1, len(counts.columns) + 1)),
                        caption=_("Customers (and share of the earlier tier) moving between tiers")))
    stay = sum(counts.loc[t, t] for t in ("A", "B", "C"))
    up = counts.loc["B", "A"] + counts.loc["C", "A"] + counts.loc["C", "B"]
    down = counts.loc["A", "B"] + counts.loc["A", "C"] + counts.loc["B", "C"]
    parts.append(_p(_('{up:,} customers moved up a tier, {down:,} moved down, {stay:,} stayed; {gone:,} '
                            'of the earlier customers did not buy again in the later period.').format(
                                up=int(up), down=int(down), stay=int(stay), gone=int(counts['gone'].sum()))))
    return "".join(parts)


def _section_notes(a: Analysis, files: Sequence[str]) -> str:
    parts = [_h2(_('7. Notes and files'))]
    if a.notes:
        parts.append("<ul class=\"notes\">" + "".join(f"<li>{_e(n)}</li>" for n in a.notes) + "</ul>")
    parts.append(_p(_('Customer file (one row per customer: RFM scores, segment, tier, CLV, P(alive), '
                            'suggested action): {files}.').format(files=', '.join(files))))
    parts.append(_glossary(a))
    return "".join(parts)


def _glossary(a: Analysis) -> str:
    """What the model columns of the customer file mean (the 90-day look-ahead and DERT, with its rate)."""
    values = dict(days=AHEAD_DAYS, weeks=AHEAD_DAYS / WEEK_DAYS, monthly=a.discount_rate, weekly=a.weekly_discount,
                  horizon=a.horizon)
    rows = [(_(EXPORT_COLUMNS[column]), _(text).format(**values)) for column, text in COLUMN_GLOSSARY.items()]
    return _table([_("column"), _("what it means")], rows,
                  caption=_("Model columns of the customer file (the page's early-warning list shows them too)"))


def render_report(read: ReadResult, mapping: ColumnMapping, cleaning: CleanExport, analysis: Analysis, *,
                  returns: str, files: Sequence[str] = ("customers.csv", "customers.xlsx"),
                  generated: str = "") -> str:
    """The whole page as one HTML string, in the language in force."""
    a = analysis
    title = _("Customer value report")
    sub = _("{file}: {customers:,} customers, {first} – {last}, as of {snapshot}").format(
        file=read.path.name, customers=a.customers, first=_day(a.first_day), last=_day(a.last_day),
        snapshot=_day(a.snapshot))
    revenue = float(a.rfm["monetary"].sum())
    top = _cards([(_("customers"), _num(a.customers)), (_("spend in the data window"), _money(revenue)),
                  (_("share of spend from the top 20% of customers"), _pct(a.top20_share)),
                  (_("CLV model"), _(VERDICT_TEXTS[a.verdict.level]).split(":")[0].split("：")[0]),
                  (_("valuable customers at risk"), _num(len(a.early_warning)))])
    body = "".join([f"<h1>{_e(title)}</h1><p class=\"sub\">{_e(sub)}</p>", top,
                    _section_data(read, mapping, cleaning, a, returns), _section_rfm(a), _section_value(a),
                    _section_clv(a), _section_warning(a), _section_migration(a), _section_notes(a, files),
                    "<footer>" + _e(_("Made with cvmlib (cvm report). {generated}").format(generated=generated))
                    + "</footer>"])
    font = font_face_css(title + body)
    css = _CSS.replace("__CJK__", FONT_FAMILY)
    lang = "zh-CN" if get_language() == "zh" else "en"
    return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_e(title)} – {_e(read.path.name)}</title><style>{font}{css}</style></head>"
            f"<body><main>{body}</main></body></html>\n")
