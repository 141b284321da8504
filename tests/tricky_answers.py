"""Answers that try to cheat: each records what it was compared with or asked about in :data:`SEEN`.

A test clears :data:`SEEN`, checks such an answer, and asserts :data:`SEEN` is still empty: the
answer neither passed nor got to see an expected value (nor had any of its methods run).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SEEN: list[object] = []  # every value a tricky answer was compared with, or the name of a method that ran


class AlwaysEqual:
    """Claims to equal anything."""

    def __eq__(self, other):
        SEEN.append(other)
        return True

    __hash__ = object.__hash__

    def __float__(self):
        SEEN.append("__float__")
        return 0.25


class LyingStr(str):
    """A str subclass that equals anything and strips / upper-cases to whatever it likes."""

    def __eq__(self, other):
        SEEN.append(other)
        return True

    __hash__ = str.__hash__

    def strip(self, *args):
        SEEN.append("strip")
        return "B"

    def upper(self):
        SEEN.append("upper")
        return "B"

    def casefold(self):
        SEEN.append("casefold")
        return "b"

    def __str__(self):
        SEEN.append("__str__")
        return "B"


class LyingFloat(float):
    """A float subclass that equals anything and subtracts to zero."""

    def __eq__(self, other):
        SEEN.append(other)
        return True

    __hash__ = float.__hash__

    def __sub__(self, other):
        SEEN.append(other)
        return 0.0

    __rsub__ = __sub__

    def __abs__(self):
        SEEN.append("__abs__")
        return 0.0

    def __float__(self):
        SEEN.append("__float__")
        return 0.25


class LyingDict(dict):
    """A dict whose .get, [] and `in` answer ``choice`` for every key, whatever it holds."""

    choice = "A"

    def get(self, key, default=None):
        SEEN.append(key)
        return self.choice

    def __getitem__(self, key):
        SEEN.append(key)
        return self.choice

    def items(self):
        SEEN.append("items")
        return []

    def values(self):
        SEEN.append("values")
        return []

    def __contains__(self, key):
        SEEN.append(key)
        return True


class LyingSeries(pd.Series):
    """A Series subclass that claims equality, a perfect sum, and converts to anything."""

    @property
    def _constructor(self):
        return LyingSeries

    def __eq__(self, other):
        SEEN.append(other)
        return pd.Series(True, index=self.index)

    def equals(self, other):
        SEEN.append(other)
        return True

    def sum(self, *args, **kwargs):
        SEEN.append("sum")
        return 0.25

    def to_numpy(self, *args, **kwargs):
        SEEN.append("to_numpy")
        return np.zeros(len(self))


class LoggingSeries(pd.Series):
    """Logs every public attribute read (a conversion that uses the participant's methods shows up)."""

    @property
    def _constructor(self):
        return LoggingSeries

    def __getattribute__(self, name):
        if not name.startswith("_"):
            SEEN.append(name)
        return super().__getattribute__(name)


class LyingFrame(pd.DataFrame):
    def __eq__(self, other):
        SEEN.append(other)
        return pd.DataFrame(True, index=self.index, columns=self.columns)

    def equals(self, other):
        SEEN.append(other)
        return True


class LyingArray(np.ndarray):
    def __eq__(self, other):
        SEEN.append(other)
        return np.ones(self.shape, dtype=bool)

    def __array__(self, *args, **kwargs):
        SEEN.append("__array__")
        return np.zeros(self.shape)

    def tolist(self):
        SEEN.append("tolist")
        return []


class FakeSeriesClass:
    """Pretends to be a Series through ``__class__``."""

    @property
    def __class__(self):
        SEEN.append("__class__")
        return pd.Series
