"""zhanaozen-graph: human-rights documents as an event-timeline knowledge graph with verbatim evidence.

The data-loading and validation names are imported on first use (PEP 562 module ``__getattr__``), so that
``import zhanaozen_graph`` and a one-shot ``zhanaozen-graph query`` stay fast: the
validator's EDTF parser, YAML and rdflib are loaded only by the commands that need them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Eager: light (pyoxigraph only), and `build` must be the function, not the submodule of that name.
from .build import BuildResult, KnowledgeGraph, build, load_graph
from .errors import BuildError, DataError, ModelError, QueryError, ZhanaozenError

if TYPE_CHECKING:
    from .load import Dataset, load_dataset
    from .model import get_model
    from .queries import QueryResult, get_query, list_queries, run_query
    from .validate import Report, check_dataset

__all__ = [
    "BuildError",
    "BuildResult",
    "DataError",
    "Dataset",
    "KnowledgeGraph",
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
    "Dataset": "load",
    "load_dataset": "load",
    "get_model": "model",
    "QueryResult": "queries",
    "get_query": "queries",
    "list_queries": "queries",
    "run_query": "queries",
    "Report": "validate",
    "check_dataset": "validate",
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
