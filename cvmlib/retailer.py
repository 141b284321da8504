"""The synthetic retailer's story: its latent segments and the parameters their members' draws come from.

One home for the numbers that ``datasets/generate.py`` draws the shipped retailer from (its docstring tells
the whole story) and that the micro-sandbox (:mod:`cvmlib.sandbox.world`) continues it with: the sign-up
pace, the five latent segments (share, BG/NBD purchase rate and dropout, Gamma-Gamma spend, the profile
weights) and the acquisition channels. The segment a customer belongs to is in ``truth.csv``.

Examples
--------
>>> [s.name for s in SEGMENTS][:2], round(sum(s.share for s in SEGMENTS), 10)
(['bargain_hunters', 'young_fashion'], 1.0)
>>> N_CUSTOMERS / N_DAYS  # sign-ups per day, on average
6.839945280437757
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ACQUISITION", "N_CUSTOMERS", "N_DAYS", "SEGMENTS", "Segment"]

#: Customers who sign up over the two years of the data.
N_CUSTOMERS = 5000
#: Days of the data: 2024-01-01 .. 2025-12-31 inclusive (2024 is a leap year).
N_DAYS = 731
#: Acquisition channels, in the order of :attr:`Segment.acquisition`.
ACQUISITION = ("search", "social_media", "livestream", "referral", "in_store")


@dataclass(frozen=True)
class Segment:
    """Latent behavioural segment: the parameters every member's draws come from."""

    name: str
    share: float
    rate_mean: float  # mean purchases per week (Gamma mean of lambda)
    rate_shape: float  # Gamma shape of lambda: smaller = more heterogeneous
    dropout_ab: tuple[float, float]  # Beta(a, b) of the dropout probability p
    spend_mean: float  # CNY: segment mean of the customers' mean order value
    spend_shape: float  # Gamma shape of the customers' mean order value around spend_mean
    age: tuple[float, float]  # normal mean, sd (clipped to 18..75)
    female: float
    tiers: tuple[float, float, float, float]
    categories: tuple[float, ...]  # weights in the order of datasets/generate.py's CATEGORIES
    channels: tuple[float, float, float, float]  # weights in the order of datasets/generate.py's CHANNELS
    acquisition: tuple[float, ...]  # weights in ACQUISITION order
    four_c: tuple[float, float, float, float]  # survey bias: needs fit, cost, convenience, communication
    cost_weight: float  # how much the cost rating moves this segment's NPS


#: The five latent segments, in the order of their codes in the generator (``truth.csv`` names them).
SEGMENTS = (
    Segment("bargain_hunters", 0.28, 0.55, 0.9, (1.5, 22.0), 95.0, 6.0, (44, 11), 0.55,
            (0.08, 0.22, 0.35, 0.35), (0.08, 0.06, 0.06, 0.25, 0.45, 0.06, 0.04),
            (0.35, 0.05, 0.15, 0.45), (0.05, 0.10, 0.45, 0.30, 0.10),
            (0.0, -0.5, 0.3, -0.1), 1.1),
    Segment("young_fashion", 0.24, 0.38, 0.8, (1.5, 18.0), 210.0, 5.0, (25, 4), 0.72,
            (0.40, 0.38, 0.16, 0.06), (0.45, 0.30, 0.08, 0.04, 0.05, 0.01, 0.07),
            (0.60, 0.10, 0.08, 0.22), (0.10, 0.45, 0.30, 0.10, 0.05),
            (0.3, -0.1, 0.4, 0.2), 0.4),
    Segment("families", 0.22, 0.60, 1.2, (1.2, 28.0), 260.0, 6.0, (36, 5), 0.62,
            (0.20, 0.42, 0.28, 0.10), (0.10, 0.05, 0.05, 0.20, 0.28, 0.30, 0.02),
            (0.45, 0.10, 0.25, 0.20), (0.15, 0.10, 0.10, 0.35, 0.30),
            (0.3, 0.1, 0.2, 0.1), 0.6),
    Segment("premium_tech", 0.12, 0.22, 1.0, (1.5, 18.0), 950.0, 4.0, (34, 7), 0.30,
            (0.62, 0.28, 0.08, 0.02), (0.05, 0.02, 0.58, 0.15, 0.02, 0.02, 0.16),
            (0.35, 0.45, 0.15, 0.05), (0.55, 0.15, 0.05, 0.15, 0.10),
            (0.4, 0.2, 0.1, -0.2), 0.2),
    Segment("occasional_gifters", 0.14, 0.12, 1.0, (2.0, 14.0), 380.0, 4.0, (45, 12), 0.50,
            (0.30, 0.35, 0.22, 0.13), (0.20, 0.35, 0.20, 0.10, 0.10, 0.05, 0.00),
            (0.30, 0.35, 0.25, 0.10), (0.45, 0.15, 0.10, 0.15, 0.15),
            (-0.2, 0.0, 0.0, -0.3), 0.5),
)
