"""Which column holds what: the customer id, the order date, the amount and (optionally) the order id.

Guessed from the column names, English and Chinese, comparing them case-, space-, underscore- and
hyphen-insensitively. Each role has a list of *exact* names (score 3: ``customer_id``, ``客户编号``) and of
*keywords* a name may contain (score 1: ``customer`` in ``customer_code``, ``金额`` in ``含税金额``). A
column explicitly named by the user always wins and is taken out of the guessing. When a required role
has no candidate, or two columns tie for the best score, the guess stops with a message that lists the
columns found and the option to pass: a wrong guess would silently change every number of the report.

>>> m = guess_mapping(["订单编号", "会员号", "下单时间", "实付金额", "门店"])
>>> m.customer, m.date, m.amount, m.order
('会员号', '下单时间', '实付金额', '订单编号')
>>> guess_mapping(["cust", "day", "amount", "total"]).amount
Traceback (most recent call last):
...
cvmlib.validate.InputError: Cannot tell which column holds the amount: 'amount' and 'total' fit equally well. ...
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from cvmlib.i18n import N_, _, format_list
from cvmlib.validate import InputError, suggest_name

__all__ = ["ROLES", "ColumnMapping", "guess_mapping", "normalise_name"]

#: role -> (exact names, keywords), all already normalised (see :func:`normalise_name`).
ROLES: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {
    "customer": (frozenset({"customerid", "customer", "custid", "customerno", "customernumber", "customercode",
                            "clientid", "client", "memberid", "member", "memberno", "userid", "user", "buyerid",
                            "buyer", "accountid", "客户编号", "客户id", "客户号", "客户", "客户代码", "会员号",
                            "会员编号", "会员id", "会员", "用户id", "用户编号", "用户", "顾客编号", "顾客id",
                            "顾客", "买家id", "买家"}),
                 ("customer", "cust", "client", "member", "user", "buyer", "客户", "会员", "用户", "顾客", "买家")),
    "date": (frozenset({"orderdate", "date", "transactiondate", "purchasedate", "orderdatetime", "ordertime",
                        "datetime", "day", "createdat", "created", "timestamp", "invoicedate", "saledate", "paidat",
                        "订单日期", "下单时间", "交易日期", "日期", "下单日期", "购买日期", "交易时间", "时间",
                        "订单时间", "支付时间", "付款时间", "成交时间", "消费日期", "消费时间"}),
             ("date", "time", "日期", "时间")),
    "amount": (frozenset({"amount", "orderamount", "total", "ordertotal", "sales", "revenue", "value", "paid",
                          "paidamount", "netamount", "spend", "totalamount", "金额", "订单金额", "实付金额",
                          "销售额", "实付", "支付金额", "消费金额", "付款金额", "成交金额", "实收金额", "总金额",
                          "应付金额"}),
               ("amount", "total", "sales", "revenue", "金额", "销售额", "实付", "营业额")),
    "order": (frozenset({"orderid", "orderno", "ordernumber", "order", "ordercode", "transactionid",
                         "transaction", "invoiceno", "invoice", "invoiceid", "receiptno", "订单号", "订单编号",
                         "单号", "订单id", "订单", "交易号", "交易编号", "流水号", "小票号"}),
              ("orderid", "orderno", "invoice", "transactionid", "订单号", "订单编号", "单号", "流水号")),
}

#: What each role is, as the messages name it.
ROLE_NAMES: dict[str, str] = {"customer": N_("the customer id"), "date": N_("the order date"),
                              "amount": N_("the amount"), "order": N_("the order id")}

#: The command-line option of each role.
ROLE_OPTIONS: dict[str, str] = {"customer": "--customer-col", "date": "--date-col", "amount": "--amount-col",
                                "order": "--order-col"}


def normalise_name(name: object) -> str:
    """A column name compared without case, spaces, underscores, hyphens, dots or brackets.

    >>> normalise_name(" Order_Date "), normalise_name("客户 ID")
    ('orderdate', '客户id')
    """
    return re.sub(r"[\s_\-./()（）]+", "", str(name).casefold())


@dataclass(frozen=True)
class ColumnMapping:
    """The column of each role (``order`` None: every row is its own order) and how each was chosen.

    ``how`` maps a role to ``"given"`` (an explicit option), ``"guessed"`` or ``"none"``.
    """

    customer: str
    date: str
    amount: str
    order: str | None
    how: dict[str, str]

    def columns(self) -> list[str]:
        """The mapped columns, order column last when there is one."""
        return [c for c in (self.customer, self.date, self.amount, self.order) if c is not None]


def _score(name: str, role: str) -> int:
    exact, keywords = ROLES[role]
    key = normalise_name(name)
    if key in exact:
        return 3
    return 1 if any(word in key for word in keywords) else 0


def _listed(columns: Sequence[str]) -> str:
    return format_list(repr(c) for c in columns)


def guess_mapping(columns: Sequence[str], *, customer: str | None = None, date: str | None = None,
                  amount: str | None = None, order: str | None = None, no_order: bool = False) -> ColumnMapping:
    """The column of each role: the explicit ones as given, the others guessed from the names.

    Parameters
    ----------
    columns : sequence of str
        The table's column names.
    customer, date, amount, order : str, optional
        Explicit column names (they must exist; a near miss is suggested).
    no_order : bool
        True: do not look for an order column (every row is one order).

    Raises
    ------
    cvmlib.validate.InputError
        An explicit name that is not a column; no candidate or two equally good ones for a role.
    """
    columns = [str(c) for c in columns]
    given = {"customer": customer, "date": date, "amount": amount, "order": order}
    chosen: dict[str, str | None] = {}
    how: dict[str, str] = {}
    for role, name in given.items():
        if name is None:
            continue
        if name not in columns:
            near = suggest_name(name, columns)
            hint = _(" Did you mean {name!r}?").format(name=near) if near is not None else ""
            raise InputError(_("{option} {name!r}: there is no such column. The columns are: {columns}.").format(
                option=ROLE_OPTIONS[role], name=name, columns=_listed(columns)) + hint)
        chosen[role], how[role] = name, "given"
    taken = {c for c in chosen.values() if c is not None}
    # required roles first, so that e.g. "order_date" is the date before the order role looks at it
    for role in ("customer", "date", "amount", "order"):
        if role in chosen:
            continue
        if role == "order" and no_order:
            chosen[role], how[role] = None, "none"
            continue
        scores = {c: _score(c, role) for c in columns if c not in taken}
        best = max(scores.values(), default=0)
        if best == 0:
            if role == "order":
                chosen[role], how[role] = None, "none"
                continue
            raise InputError(_("Cannot tell which column holds {what}: no column name looks like it. The columns "
                               "are: {columns}. Name it with {option} COLUMN.").format(
                                   what=_(ROLE_NAMES[role]), columns=_listed(columns), option=ROLE_OPTIONS[role]))
        top = [c for c, s in scores.items() if s == best]
        if len(top) > 1:
            raise InputError(_("Cannot tell which column holds {what}: {candidates} fit equally well. The columns "
                               "are: {columns}. Name it with {option} COLUMN.").format(
                                   what=_(ROLE_NAMES[role]), candidates=format_list_and(top),
                                   columns=_listed(columns), option=ROLE_OPTIONS[role]))
        chosen[role], how[role] = top[0], "guessed"
        taken.add(top[0])
    return ColumnMapping(customer=str(chosen["customer"]), date=str(chosen["date"]), amount=str(chosen["amount"]),
                         order=chosen["order"], how=how)


def format_list_and(names: Sequence[str]) -> str:
    """``'a' and 'b'`` (English) / ``'a' 和 'b'`` (Chinese) for two or more quoted names."""
    quoted = [repr(n) for n in names]
    if len(quoted) == 1:
        return quoted[0]
    return _("{first} and {last}").format(first=format_list(quoted[:-1]), last=quoted[-1])
