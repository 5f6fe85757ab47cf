"""Asking the graph: the query catalogue, result formats, the SPARQL server and remote stores."""
