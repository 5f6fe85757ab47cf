"""One exception hierarchy for zhanaozen-graph; the CLI turns each into one clear line."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

__all__ = [
    "DISK_FULL_HINT",
    "BuildError",
    "DataError",
    "MissingExtraError",
    "ModelError",
    "NameLookupError",
    "QueryError",
    "ZhanaozenError",
    "os_error_hint",
    "require",
]

DISK_FULL_HINT = "free some disk space (the previous build was kept as it was)"
PERMISSION_HINT = "check the directory's permissions or choose another --build-dir"
WRITE_HINT = "check the build directory (the previous build was kept as it was)"


class ZhanaozenError(Exception):
    """Base class of every error a user can cause and fix.

    Parameters
    ----------
    message
        What is wrong.
    path
        The file the problem is in, if any.
    line
        The 1-based line in ``path``, if known.
    hint
        How to fix it.

    Examples
    --------
    >>> str(ZhanaozenError("unknown role 'boss'", path=Path("data/e.yaml"), line=3, hint="use one of: judge"))
    "data/e.yaml:3: unknown role 'boss'; use one of: judge"
    """

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.hint = hint
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{_display(self.path)}:{self.line}: " if self.line else f"{_display(self.path)}: "
        text = f"{where}{self.message}"
        if self.hint:
            text += f"; {self.hint}"
        return text


def _display(path: Path) -> str:
    """Show a path relative to the working directory when it lies below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class ModelError(ZhanaozenError):
    """The model files (kinds, vocabularies, namespaces) are inconsistent."""


class DataError(ZhanaozenError):
    """A source or record file is malformed or breaks a rule of the model."""


class BuildError(ZhanaozenError):
    """The graph could not be built or written."""


class QueryError(ZhanaozenError):
    """A SPARQL query is malformed, unknown, or failed to run."""


class NameLookupError(QueryError):
    """A name given for an entity matches no node of the graph, or more than one.

    ``candidates`` holds the ids of the close matches (unknown name) or of every match (ambiguous name).
    """

    def __init__(self, message: str, *, candidates: tuple[str, ...] = (), hint: str | None = None) -> None:
        self.candidates = candidates
        super().__init__(message, hint=hint)


def os_error_hint(exc: OSError) -> str:
    """How to fix a failed write, by its cause: a full disk is not a permission problem.

    Examples
    --------
    >>> import errno
    >>> os_error_hint(OSError(errno.ENOSPC, "No space left on device"))
    'free some disk space (the previous build was kept as it was)'
    """
    import errno

    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return DISK_FULL_HINT
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return PERMISSION_HINT
    return WRITE_HINT


class MissingExtraError(ZhanaozenError):
    """A feature needs a package of an optional extra (``zhanaozen-graph[analysis]``) that is not installed."""


def require(module: str, extra: str, feature: str) -> ModuleType:
    """Import ``module``, or say in one line which extra of the package brings it.

    The core install leaves the heavy libraries of some features to extras; the functions of
    those features call this before their first use of such a library.

    Raises
    ------
    MissingExtraError
        ``module`` cannot be imported.

    Examples
    --------
    >>> require("json", "analysis", "network analysis").__name__
    'json'
    >>> require("no_such_module_here", "analysis", "network analysis")
    Traceback (most recent call last):
    ...
    zhanaozen_graph.errors.MissingExtraError: network analysis needs no_such_module_here, which is not installed; install it with: pip install 'zhanaozen-graph[analysis]'
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtraError(
            f"{feature} needs {module.split('.')[0]}, which is not installed",
            hint=f"install it with: pip install 'zhanaozen-graph[{extra}]'",
        ) from None
