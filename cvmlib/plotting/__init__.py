"""Plots of the course, one module per chapter, all importable from here.

matplotlib only. Every function draws on the ``ax`` it is given (or on a new figure) and returns
the Axes; nothing calls ``plt.show()``, so the functions work headless (Agg backend), in notebooks
and in the built book alike. Topic modules never import plots; plots import topic constants.

Titles, axis labels, legends and annotations follow the course's language (``cvmlib.set_language``),
drawn with a font list that has Chinese on every machine (:mod:`cvmlib.plotting._fonts`: DejaVu Sans
for Latin and digits, then the shipped Noto Sans CJK SC, then the usual Windows/macOS fonts).
:func:`use_fonts` makes that list the default of your own figures too (``df.plot()``, ``plt.title``).
"""

from __future__ import annotations

from cvmlib.plotting.clv import (
    calibration_holdout_plot,
    clv_cumulative_plot,
    cohort_heatmap,
    frequency_recency_matrix_plot,
    p_alive_matrix_plot,
    period_transactions_plot,
    retention_curves_plot,
    tracking_plot,
    update_clv_cumulative_plot,
)
from cvmlib.plotting._fonts import font_families, use_fonts
from cvmlib.plotting.complaints import cause_pareto_plot, recovery_plot, ticket_timeline_plot
from cvmlib.plotting.fourc import four_c_heatmap, nps_distribution_plot
from cvmlib.plotting.growth import channel_clv_plot, loyalty_waterfall_plot, offer_hit_rate_plot
from cvmlib.plotting.lifecycle import breadth_churn_plot, kpi_plot, stage_mix_plot, transition_heatmap
from cvmlib.plotting.rfm import rfm_heatmap, segment_bars
from cvmlib.plotting.segment import cluster_profile_heatmap, cluster_projection
from cvmlib.plotting.value import lorenz_plot, value_matrix_plot

__all__ = ["channel_clv_plot", "loyalty_waterfall_plot", "offer_hit_rate_plot",  # growth
           "breadth_churn_plot", "kpi_plot", "stage_mix_plot", "transition_heatmap",  # lifecycle
           "calibration_holdout_plot", "cause_pareto_plot", "clv_cumulative_plot", "cluster_profile_heatmap",
           "cluster_projection", "cohort_heatmap", "font_families", "four_c_heatmap", "frequency_recency_matrix_plot",
           "lorenz_plot", "p_alive_matrix_plot",
           "nps_distribution_plot", "period_transactions_plot", "recovery_plot", "retention_curves_plot",
           "rfm_heatmap", "segment_bars", "ticket_timeline_plot", "tracking_plot", "update_clv_cumulative_plot",
           "use_fonts", "value_matrix_plot"]
