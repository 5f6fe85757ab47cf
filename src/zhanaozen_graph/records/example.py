"""The shipped example (the Amnesty document and its records) and copying it into a new project."""

from __future__ import annotations

import shutil
from pathlib import Path

from ..errors import DataError

__all__ = ["EXAMPLE_DATA", "create_demo"]

# A copy of the checkout's data/ shipped in the package (tests/test_example.py keeps the two identical).
EXAMPLE_DATA = Path(__file__).resolve().parents[1] / "example"
_PARTS = ("sources", "register", "records")


def create_demo(target: Path | str) -> Path:
    """Create a project in the new folder ``target`` with the example in ``target/data``.

    Inside ``target`` the commands find ``./data`` by themselves and build into ``./build``.

    Parameters
    ----------
    target
        A folder that does not exist yet, or an empty one.

    Returns
    -------
    Path
        The data directory written (``target/data``).

    Raises
    ------
    DataError
        When ``target`` exists and is not an empty folder.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> project = pathlib.Path(tempfile.mkdtemp()) / "x"
    >>> sorted(p.name for p in create_demo(project).iterdir())
    ['records', 'register', 'sources']
    >>> try:
    ...     create_demo(project)
    ... except DataError as e:
    ...     print(e.message)
    the folder exists and is not empty
    """
    root = Path(target)
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise DataError(
            "the folder exists and is not empty", path=root, hint="choose a new folder for the demo"
        )
    data = root / "data"
    try:
        data.mkdir(parents=True)
        for part in _PARTS:
            shutil.copytree(EXAMPLE_DATA / part, data / part)
    except OSError as exc:
        raise DataError(f"cannot write the demo: {exc.strerror or exc}", path=root) from exc
    return data
