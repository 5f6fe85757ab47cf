"""zhanaozen-graph: human-rights documents as an event-timeline knowledge graph with verbatim evidence."""

from __future__ import annotations

from .build import BuildResult, KnowledgeGraph, build, load_graph
from .errors import BuildError, DataError, ModelError, QueryError, ZhanaozenError
from .load import Dataset, load_dataset
from .model import get_model
from .validate import Report, check_dataset

__all__ = [
    "BuildError",
    "BuildResult",
    "DataError",
    "Dataset",
    "KnowledgeGraph",
    "ModelError",
    "QueryError",
    "Report",
    "ZhanaozenError",
    "__version__",
    "build",
    "check_dataset",
    "get_model",
    "load_dataset",
    "load_graph",
]

__version__ = "0.1.0"
