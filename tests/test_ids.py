"""cvmlib._ids: the fast id codes must agree with pandas.factorize and never merge distinct ids."""

from __future__ import annotations

import string

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cvmlib._ids import MAX_ID_BYTES, encode_ids, id_bytes

PROPERTY = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ids = st.one_of(
    st.text(alphabet=string.ascii_letters + string.digits + " é客-\t\u3000", min_size=0, max_size=20),
    st.integers(0, 10**6).map(lambda k: f"C{k:07d}"),  # equal widths: the reshape path
    st.integers(0, 10**12).map(lambda k: f"X{k}"),  # variable widths, wide key
)


@PROPERTY
@given(st.lists(ids, min_size=1, max_size=40))
def test_codes_match_sorted_factorize(values: list[str]) -> None:
    series = pd.Series(values, dtype="str")
    enc = encode_ids(series)
    assert enc is not None
    ref_codes, ref_uniques = pd.factorize(series, sort=True)
    assert enc.is_sorted
    np.testing.assert_array_equal(enc.codes, ref_codes)
    assert enc.n_codes == len(ref_uniques)


@PROPERTY
@given(st.lists(ids, min_size=1, max_size=40))
def test_visible_is_never_claimed_for_a_blank_id(values: list[str]) -> None:
    enc = encode_ids(pd.Series(values, dtype="str"))
    assert enc is not None
    if enc.visible is None:  # only ids too long for byte rows skip the byte path
        assert max(len(v.encode()) for v in values) > MAX_ID_BYTES
        return
    blank = np.array([not v.strip() for v in values])
    assert not (enc.visible & blank).any()  # a blank id is never waved through
    has_ascii = np.array([any("!" <= ch <= "~" for ch in v) for v in values])
    np.testing.assert_array_equal(enc.visible, has_ascii)


def test_ids_with_nul_are_not_merged_by_padding() -> None:
    series = pd.Series(["a", "a\x00", "b"], dtype="str")
    assert id_bytes(series) is None  # padding would make the first two equal
    enc = encode_ids(series)
    assert enc is not None and len(set(enc.codes.tolist())) == 3


def test_non_string_ids_fall_back_to_factorize() -> None:
    enc = encode_ids(pd.Series([30, 10, 30]))
    assert enc is not None and enc.codes.tolist() == [1, 0, 1] and enc.visible is None
    mixed = encode_ids(pd.Series(["b", 1, "b"], dtype=object))  # str and int do not compare
    assert mixed is not None and mixed.codes[0] == mixed.codes[2] != mixed.codes[1]


def test_missing_values_get_code_minus_one() -> None:
    enc = encode_ids(pd.Series(["a", None, "a"], dtype="str"))
    assert enc is not None and enc.codes.tolist() == [0, -1, 0] and enc.visible is None


def test_unhashable_ids_give_none() -> None:
    assert encode_ids(pd.Series([["a"], ["b"]], dtype=object)) is None


def test_categorical_ids_keep_their_codes() -> None:
    cat = pd.Series(pd.Categorical(["b", "a", "b"], categories=["c", "b", "a"]))
    enc = encode_ids(cat)
    assert enc is not None
    assert enc.codes.tolist() == [1, 2, 1] and enc.n_codes == 3 and not enc.is_sorted


def test_take_keeps_code_meaning() -> None:
    enc = encode_ids(pd.Series(["b", "a", "c"], dtype="str"))
    assert enc is not None
    sub = enc.take(np.array([True, False, True]))
    assert sub.codes.tolist() == [1, 2] and sub.n_codes == 3 and sub.visible.tolist() == [True, True]


def test_arrow_backed_strings_match_python_strings() -> None:
    pytest.importorskip("pyarrow")
    values = ["C0000002", "C0000001", "X12", "é客", "C0000002", " "]
    for chunk in (values, values[:5]):  # variable and equal widths
        arrow = encode_ids(pd.Series(chunk, dtype=pd.StringDtype("pyarrow")))
        python = encode_ids(pd.Series(chunk, dtype=pd.StringDtype("python")))
        assert arrow is not None and python is not None
        np.testing.assert_array_equal(arrow.codes, python.codes)
        np.testing.assert_array_equal(arrow.visible, python.visible)
