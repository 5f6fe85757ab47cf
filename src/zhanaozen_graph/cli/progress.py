"""Progress on standard error for long commands: shown after a second, on a terminal only, never with --quiet."""

from __future__ import annotations

import math
import os
import sys
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import IO, Any, TypeVar

import click

__all__ = ["QUIET", "Progress", "default_delay", "progress_wanted", "quiet_option"]

F = TypeVar("F", bound=Callable[..., Any])

QUIET = "zhanaozen_graph.quiet"
"""Where ``--quiet`` is kept (``click.Context.meta``)."""


def _keep_quiet(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    ctx.meta[QUIET] = value
    return value


def quiet_option(func: F) -> F:
    """Add ``--quiet`` / ``-q``: no progress line on standard error (the result lines stay)."""
    return click.option(
        "--quiet",
        "-q",
        is_flag=True,
        expose_value=False,
        callback=_keep_quiet,
        help="Show no progress on standard error (it shows only on a terminal, after a second).",
    )(func)


def default_delay() -> float:
    """Seconds before a progress line is drawn: ``ZHANAOZEN_PROGRESS_DELAY``, else 1.

    Examples
    --------
    >>> import os
    >>> os.environ.pop("ZHANAOZEN_PROGRESS_DELAY", None) and None
    >>> default_delay()
    1.0
    >>> os.environ["ZHANAOZEN_PROGRESS_DELAY"] = "0"
    >>> default_delay()
    0.0
    >>> os.environ["ZHANAOZEN_PROGRESS_DELAY"] = "soon"  # not a number: the default
    >>> default_delay()
    1.0
    >>> del os.environ["ZHANAOZEN_PROGRESS_DELAY"]
    """
    try:
        delay = float(os.environ.get("ZHANAOZEN_PROGRESS_DELAY", "1"))
    except ValueError:
        return 1.0
    return delay if math.isfinite(delay) and delay >= 0 else 1.0


def progress_wanted(stream: IO[str] | None = None) -> bool:
    """True when a progress line may be drawn: ``stream`` (stderr) is a terminal and not ``--quiet``."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None and any(c.meta.get(QUIET) for c in _lineage(ctx)):
        return False
    stream = stream if stream is not None else sys.stderr
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _lineage(ctx: click.Context) -> list[click.Context]:
    out = []
    current: click.Context | None = ctx
    while current is not None:
        out.append(current)
        current = current.parent
    return out


class Progress:
    r"""A one-line progress display on standard error: ``label 12/30 4 s``, redrawn four times a second.

    Nothing is drawn for an operation that ends within ``delay`` seconds, when the stream is not a
    terminal, or with ``--quiet``; the line is erased when the operation ends, so that only the
    command's own messages remain. ``advance`` counts done items when ``total`` is known.

    Examples
    --------
    >>> import io
    >>> class Terminal(io.StringIO):
    ...     def isatty(self) -> bool:
    ...         return True
    >>> screen = Terminal()
    >>> with Progress("writing", total=2, delay=0, stream=screen) as p:
    ...     p.advance(2)
    >>> text = screen.getvalue()  # drawn, then erased
    >>> text.startswith("\r\x1b[Kwriting ") and text.endswith(" s\r\x1b[K")
    True
    >>> piped = io.StringIO()
    >>> with Progress("writing", delay=0, stream=piped):
    ...     pass
    >>> piped.getvalue()
    ''
    """

    def __init__(
        self,
        label: str,
        *,
        total: int | None = None,
        delay: float | None = None,
        stream: IO[str] | None = None,
    ) -> None:
        self.label = label
        self.total = total
        self.done = 0
        self.delay = delay if delay is not None else default_delay()
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = progress_wanted(self.stream)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._shown = False
        self._start = time.monotonic()
        self._lock = threading.Lock()

    def advance(self, n: int = 1) -> None:
        """Count ``n`` more items done."""
        self.done += n

    def _line(self) -> str:
        count = f" {self.done}/{self.total}" if self.total is not None else ""
        return f"{self.label}{count} {time.monotonic() - self._start:.0f} s"

    def _draw(self) -> None:
        with self._lock:
            self.stream.write("\r\x1b[K" + self._line())
            self.stream.flush()
            self._shown = True

    def _run(self) -> None:
        if self._stop.wait(self.delay):
            return
        while True:
            self._draw()
            if self._stop.wait(0.25):
                return

    def __enter__(self) -> Progress:
        self._start = time.monotonic()
        if self.enabled:
            self._thread = threading.Thread(target=self._run, name="progress", daemon=True)
            self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            if self.delay == 0 and not self._shown:
                self._draw()  # an instant operation asked to be shown at once (tests, examples)
        if self._shown:
            with self._lock:
                self.stream.write("\r\x1b[K")
                self.stream.flush()
