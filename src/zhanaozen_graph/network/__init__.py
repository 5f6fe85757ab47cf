"""NetworkX views of the graph (projections, time slices) and the metrics computed on them.

They need the ``analysis`` extra (networkx, scipy for PageRank, pandas for the tables); without it,
importing this package says so in one line (:class:`~zhanaozen_graph.errors.MissingExtraError`).
"""

from ..errors import require

for _module in ("networkx", "scipy", "pandas"):
    require(_module, "analysis", "network analysis")
