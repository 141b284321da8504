"""Fast integer codes for id columns (customer and order ids), shared by validation and RFM.

Why a module of its own: on millions of rows, hashing Python ``str`` ids is the most expensive
step of both validating a transaction table and aggregating it. :func:`encode_ids` turns an id
column into integer codes once; :mod:`cvmlib.validate` uses them to find blank ids and repeated
order ids, and :func:`cvmlib.rfm.rfm_table` reuses them to group by customer.

String ids become rows of UTF-8 bytes (:func:`id_bytes`), read straight from the Arrow buffers
when the column is pyarrow-backed, and those rows become sorted codes with numpy alone
(:func:`codes_from_bytes`). Anything else falls back to :func:`pandas.factorize`.

:func:`factorize_ids` turns the codes into ``0..k-1`` plus the ``k`` distinct ids in sorted order,
what grouping by customer needs (RFM table, BTYD summary).

Examples
--------
>>> import pandas as pd
>>> enc = encode_ids(pd.Series(["C2", "C1", "C2", " "], dtype="str"))
>>> enc.codes.tolist(), enc.n_codes, enc.is_sorted
([2, 1, 2, 0], 3, True)
>>> enc.visible.tolist()  # " " has no printable ASCII character: it may be blank
[True, True, True, False]
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

__all__ = ["EncodedIds", "codes_from_bytes", "encode_ids", "factorize_ids", "id_bytes"]

#: Longer ids take the generic :func:`pandas.factorize` path.
MAX_ID_BYTES = 16
#: Largest lookup table (entries) for dense codes: int32 ranks, so below 2**31. The table may hold
#: up to 4 entries per row (5 bytes each, freed at once); sparser keys are hashed instead.
MAX_DENSE_RANGE = (1 << 31) - 1
#: Rows per block where a full-length temporary is not worth its memory (see factorize_ids).
_BLOCK = 1 << 20


class EncodedIds(NamedTuple):
    """An id column as integer codes.

    Attributes
    ----------
    codes : numpy.ndarray
        One code per row in ``0 .. n_codes - 1``; equal ids get equal codes. A categorical column
        keeps its own codes (-1 for missing; unused categories leave codes unused).
    n_codes : int
        Upper bound of the codes (exclusive).
    is_sorted : bool
        Whether the order of the codes is the sorted order of the ids.
    visible : numpy.ndarray or None
        Per row, whether the id contains a printable ASCII character (so it cannot be blank);
        None when the ids were not read as bytes. Rows where it is False still need an exact
        check: ``"\\u3000"`` is blank, ``"é"`` is not.
    """

    codes: np.ndarray
    n_codes: int
    is_sorted: bool
    visible: np.ndarray | None

    def take(self, mask: np.ndarray) -> EncodedIds:
        """The encoding of the rows where ``mask`` is True (codes keep their meaning).

        Examples
        --------
        >>> enc = encode_ids(pd.Series(["b", "a"], dtype="str")).take(np.array([True, False]))
        >>> enc.codes.tolist(), enc.n_codes
        ([1], 2)
        """
        visible = None if self.visible is None else self.visible[mask]
        return EncodedIds(self.codes[mask], self.n_codes, self.is_sorted, visible)


def _arrow_buffers(ids: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """(UTF-8 data, starts, lengths) of a pyarrow-backed string column without nulls, else None.

    Why: reading the ids as Python strings would first create millions of ``str`` objects,
    which costs more than everything else here. The Arrow buffers already hold the bytes.
    """
    if getattr(ids.dtype, "storage", None) != "pyarrow":
        return None
    import pyarrow as pa  # only reached when pandas already uses pyarrow for this column

    arr = pa.chunked_array(pa.array(ids.array)).combine_chunks()
    if arr.null_count or not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        return None
    _, offsets_buf, data_buf = arr.buffers()
    offset_type = np.int64 if pa.types.is_large_string(arr.type) else np.int32
    offsets = np.frombuffer(offsets_buf, dtype=offset_type)[arr.offset: arr.offset + len(arr) + 1]
    data = np.frombuffer(data_buf, dtype=np.uint8) if data_buf is not None else np.zeros(0, np.uint8)
    offsets = offsets.astype(np.intp)
    return data, offsets[:-1], np.diff(offsets)


def _joined_buffer(
    values: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | np.ndarray | None:
    """(UTF-8 data, starts, lengths) of Python string ids joined by NUL; or directly the byte rows.

    Joining is one C loop over the strings. When all ids have the same length (the usual case)
    every separator ends a row and a reshape cuts the buffer: the byte rows are returned as is.
    """
    n = len(values)
    items = values.tolist()
    items.append("")  # so that every id, the last one too, is followed by a NUL
    try:
        text = "\x00".join(items)
        del items  # before encoding: list, text and bytes at once would be 26 bytes a row
        joined = text.encode("utf-8")
    except (TypeError, UnicodeEncodeError):  # non-str ids (NaN, ints mixed in) or lone surrogates
        return None
    del text
    buf = np.frombuffer(joined, dtype=np.uint8)
    if len(buf) - np.count_nonzero(buf) != n:  # an id contains NUL: the split is ambiguous
        return None
    width, extra = divmod(len(buf), n)
    if extra == 0 and 1 < width <= MAX_ID_BYTES + 1:
        rows = buf.reshape(n, width)
        if not rows[:, -1].any():
            return rows[:, :-1]
    ends = np.flatnonzero(buf == 0)
    starts = np.concatenate(([0], ends[:-1] + 1))
    return buf, starts, ends - starts


def id_bytes(ids: pd.Series) -> np.ndarray | None:
    """Each string id as a row of UTF-8 bytes, right-padded with NUL; None if that does not apply.

    Byte rows compare like the strings: equal ids give equal rows, and the lexicographic order of
    the rows is the order of the strings (UTF-8 keeps code point order; NUL sorts first and no id
    may contain it when rows are padded).

    Examples
    --------
    >>> id_bytes(pd.Series(["ab", "c"], dtype="str")).tolist()
    [[97, 98], [99, 0]]
    >>> id_bytes(pd.Series([1, 2])) is None
    True
    """
    if len(ids) == 0:
        return None
    found: tuple[np.ndarray, np.ndarray, np.ndarray] | np.ndarray | None
    if getattr(ids.dtype, "storage", None) == "pyarrow":
        found = _arrow_buffers(ids)
    elif ids.dtype == object or pd.api.types.is_string_dtype(ids.dtype):
        found = _joined_buffer(ids.to_numpy(dtype=object))
    else:
        return None
    if found is None or isinstance(found, np.ndarray):
        return found
    data, starts, lengths = found
    longest = int(lengths.max())
    if longest > MAX_ID_BYTES:
        return None
    if longest == int(lengths.min()) and longest > 0 and (np.diff(starts) == longest).all():
        # Equal lengths, back to back (Arrow data): a reshape is enough, no NUL padding involved.
        return data[starts[0]: starts[0] + len(ids) * longest].reshape(len(ids), longest)
    used = data[starts[0]: starts[-1] + lengths[-1]]
    if np.count_nonzero(used) != lengths.sum():  # NULs only as separators (joined data)
        return None  # padding with NUL would make "a\x00" equal "a"
    cols = np.arange(longest)
    idx = np.minimum(starts[:, None] + cols, max(len(data) - 1, 0))
    return np.where(cols < lengths[:, None], data[idx], 0).astype(np.uint8)


def codes_from_bytes(rows: np.ndarray) -> tuple[np.ndarray, int] | None:
    """Sorted codes of byte rows: (codes, number of distinct rows), or None if the ids vary too much.

    Each byte position only takes the values seen in the data, so the rows are numbers in a mixed
    radix (base = that position's max - min + 1). "C0000001".."C0500000" span only 6 x 10**5
    values: a lookup table then gives sorted codes without hashing or sorting 5 million rows.

    Examples
    --------
    >>> rows = np.array([[67, 50], [67, 49], [67, 50]], dtype=np.uint8)  # "C2", "C1", "C2"
    >>> codes, k = codes_from_bytes(rows)
    >>> codes.tolist(), k
    ([1, 0, 1], 2)
    """
    found = _mixed_radix_key(np.ascontiguousarray(rows.T))
    return None if found is None else _codes_from_key(*found)


def _mixed_radix_key(columns: np.ndarray) -> tuple[np.ndarray, int] | None:
    """(key, span) of the transposed rows (one contiguous array per byte position), or None.

    The key numbers the rows in their sorted order, within ``0 .. span - 1``; separate from
    :func:`_codes_from_key` so that the caller can free the byte columns before the codes exist.
    """
    n = columns.shape[1]
    lows = columns.min(axis=1)
    bases = columns.max(axis=1).astype(np.int64) - lows + 1
    span = 1
    for base in bases.tolist():
        span *= base
    if span > np.iinfo(np.uint64).max:
        return None
    kind = np.uint32 if span <= np.iinfo(np.uint32).max else np.uint64
    key = np.zeros(n, dtype=kind)
    for column, low, base in zip(columns, lows, bases.tolist()):
        if base > 1:  # constant positions (a shared prefix) carry no information
            np.multiply(key, kind(base), out=key)
            np.add(key, column - low, out=key)
    return key, span


def _codes_from_key(key: np.ndarray, span: int) -> tuple[np.ndarray, int]:
    """Sorted codes ``0 .. k-1`` of integer keys in ``0 .. span - 1`` and the number ``k`` of distinct keys."""
    n = len(key)
    # Why the table may grow with n (it used to stop at 2**24 entries): sequential ids such as
    # "O00000001".."O20000000" are dense keys, and the hash table of pd.factorize(sort=True) that
    # took over above 2**24 was 10x slower (8 s instead of 0.7 s for 20M distinct order ids).
    if span <= min(MAX_DENSE_RANGE, max(4 * n, 1 << 16)):
        present = np.zeros(span, dtype=bool)
        present[key] = True
        rank = np.cumsum(present, dtype=np.int32)
        n_codes = int(rank[-1])
        del present
        rank -= 1  # in place: no second table
        codes = np.empty(n, dtype=np.intp)
        for start in range(0, n, _BLOCK):  # blocks: no row-length int32 copy before the intp one
            codes[start: start + _BLOCK] = rank[key[start: start + _BLOCK]]
        return codes, n_codes
    # Sparse keys: hash without sorting, then sort only the distinct keys (sort=True sorts with
    # a slower generic path, about twice the time).
    codes, uniques = pd.factorize(key)
    order = np.argsort(uniques, kind="stable")
    rank = np.empty(len(order), dtype=np.intp)
    rank[order] = np.arange(len(order))
    return rank[codes], len(uniques)


def _visible(columns: np.ndarray) -> np.ndarray:
    """Ids holding a printable ASCII byte (0x21-0x7E), so a non-whitespace character.

    ``columns`` holds one contiguous array per byte position. Usually the first position (a
    prefix such as "C") settles every id, so the loop stops early.
    """
    unsure = np.ones(columns.shape[1], dtype=bool)
    for column in columns:
        unsure &= (column <= 0x20) | (column >= 0x7F)
        if not unsure.any():
            break
    return ~unsure


def encode_ids(ids: pd.Series) -> EncodedIds | None:
    """Integer codes of an id column; None if the ids cannot be encoded (e.g. unhashable values).

    Categorical columns reuse their codes; string ids go through :func:`id_bytes` and
    :func:`codes_from_bytes` (sorted codes); anything else falls back to
    :func:`pandas.factorize` (missing values get code -1).

    Examples
    --------
    >>> encode_ids(pd.Series([10, 30, 10])).codes.tolist()
    [0, 1, 0]
    """
    if isinstance(ids.dtype, pd.CategoricalDtype):
        return EncodedIds(ids.cat.codes.to_numpy().astype(np.intp), len(ids.cat.categories),
                          bool(ids.cat.categories.is_monotonic_increasing), None)
    rows = id_bytes(ids)
    visible = found = None
    if rows is not None:
        columns = np.ascontiguousarray(rows.T)
        del rows  # the peak memory is the sum of what is alive: free each buffer when done
        visible = _visible(columns)
        keyed = _mixed_radix_key(columns)
        del columns
        if keyed is not None:
            found = _codes_from_key(*keyed)
            del keyed
    if found is not None:
        return EncodedIds(found[0], found[1], True, visible)
    try:
        try:
            codes, uniques = pd.factorize(ids, sort=True)
            is_sorted = True
        except TypeError:  # ids that do not compare with each other (e.g. str mixed with int)
            codes, uniques = pd.factorize(ids)
            is_sorted = False
    except TypeError:  # unhashable values: validation reports them its own way
        return None
    return EncodedIds(np.asarray(codes, dtype=np.intp), len(uniques), is_sorted, visible)


def factorize_ids(ids: pd.Series, encoded: EncodedIds | None = None) -> tuple[np.ndarray, pd.Index]:
    """Codes 0..k-1 and the k distinct ids in sorted order, like ``pd.factorize(ids, sort=True)``.

    Parameters
    ----------
    ids : pandas.Series
        An id column (validated: no missing ids).
    encoded : EncodedIds, optional
        :func:`encode_ids` of ``ids`` when the caller already has it (the validation computes
        it: :func:`cvmlib.validate.validate_transactions_with_ids`).

    Raises
    ------
    cvmlib.validate.InputError
        When the ids cannot be encoded (unhashable values such as lists).

    Examples
    --------
    >>> codes, uniques = factorize_ids(pd.Series(["b", "a", "b"], name="customer_id"))
    >>> codes.tolist(), uniques.tolist(), uniques.name
    ([1, 0, 1], ['a', 'b'], 'customer_id')
    """
    if encoded is None:
        encoded = encode_ids(ids)
    if encoded is None:
        from cvmlib.validate import InputError  # validate imports this module: import on the error path

        raise InputError(
            f"Column {ids.name!r} holds ids that cannot be hashed (e.g. lists); ids must be "
            f"strings or numbers."
        )
    codes, n_codes, is_sorted, _ = encoded
    # The ids themselves: one row per code (any will do, they hold the same id); a scatter is
    # cheaper than decoding the bytes back.
    row_of = np.full(n_codes, -1, dtype=np.intp)
    for start in range(0, len(codes), _BLOCK):  # blocks: no row-length arange (8 bytes a row)
        stop = min(start + _BLOCK, len(codes))
        row_of[codes[start:stop]] = np.arange(start, stop)
    used = row_of >= 0  # unused categories of a categorical column
    if not used.all():
        remap = np.cumsum(used) - 1
        codes, row_of = remap[codes], row_of[used]
    uniques = pd.Index(ids.iloc[row_of].to_numpy(), dtype=ids.dtype, name=ids.name)
    if not is_sorted:
        order = np.argsort(np.asarray(uniques), kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        codes, uniques = rank[codes], uniques[order]
    return codes, uniques
