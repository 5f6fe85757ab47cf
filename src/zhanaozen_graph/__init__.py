"""zhanaozen-graph: human-rights documents as an event-timeline knowledge graph with verbatim evidence.

The data-loading and validation names are imported on first use (PEP 562 module ``__getattr__``), so that
``import zhanaozen_graph`` and a one-shot ``zhanaozen-graph query`` stay fast: the
validator's EDTF parser, YAML and rdflib are loaded only by the commands that need them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import BuildError, DataError, MissingExtraError, ModelError, QueryError, ZhanaozenError

# Eager: light (pyoxigraph only).
from .graph.build import BuildResult, KnowledgeGraph, build, load_graph

if TYPE_CHECKING:
    from .records.load import Dataset, load_dataset
    from .records.model import get_model
    from .records.validate import Report, check_dataset
    from .sparql.queries import get_query, list_queries, run_query
    from .sparql.results import QueryResult

__all__ = [
    "BuildError",
    "BuildResult",
    "DataError",
    "Dataset",
    "KnowledgeGraph",
    "MissingExtraError",
    "ModelError",
    "QueryError",
    "QueryResult",
    "Report",
    "ZhanaozenError",
    "__version__",
    "build",
    "check_dataset",
    "get_model",
    "get_query",
    "list_queries",
    "load_dataset",
    "load_graph",
    "run_query",
]

__version__ = "0.1.0"

_LAZY = {
    "Dataset": "records.load",
    "load_dataset": "records.load",
    "get_model": "records.model",
    "QueryResult": "sparql.results",
    "get_query": "sparql.queries",
    "list_queries": "sparql.queries",
    "run_query": "sparql.queries",
    "Report": "records.validate",
    "check_dataset": "records.validate",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'zhanaozen_graph' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
