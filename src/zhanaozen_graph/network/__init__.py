"""NetworkX views of the graph (projections, time slices) and the metrics computed on them."""
