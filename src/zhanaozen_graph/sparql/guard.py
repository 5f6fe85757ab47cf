"""What a query sent over HTTP must pass before it runs: size, nesting depth, a real parse, no SERVICE.

The checks come in order of cost. Size is checked first (constant time), then the nesting depth
with the linear lexer of :mod:`.text`, and only then is the text parsed, by rdflib's SPARQL 1.1
parser. ``SERVICE`` is refused by looking for a ``ServiceGraphPattern`` node in that parse tree,
not by looking at words: escapes, comments, prefixed names and ``\\u`` escapes are the parser's
business, and whatever it cannot parse is refused. (rdflib's parse tree is used rather than its
algebra: the translation to algebra takes time quadratic in the number of triple patterns,
20 s for 2,000, measured here, where the parse takes 1.2 s.)

rdflib's parser recurses deeply; :func:`check_remote_query` raises Python's recursion limit
for its own call and should run in a thread with a large stack (the server's workers do).
"""

from __future__ import annotations

import sys
from typing import Any

from ..errors import QueryError
from .text import MAX_DEPTH, MAX_QUERY_BYTES, check_limits, query_form

__all__ = ["MAX_DEPTH", "MAX_QUERY_BYTES", "check_limits", "check_remote_query", "uses_service"]

READ_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


def uses_service(tree: Any) -> bool:
    """Whether an rdflib parse tree holds a ``SERVICE`` pattern anywhere (walked without recursion).

    Examples
    --------
    >>> from rdflib.plugins.sparql.parser import parseQuery
    >>> uses_service(parseQuery("SELECT * { OPTIONAL { SERVICE <http://x/> { ?s ?p ?o } } }"))
    True
    >>> uses_service(parseQuery('SELECT * { ?s <http://x/SERVICE> "SERVICE" }'))
    False
    """
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Node

    stack: list[Any] = [tree]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            if item.name == "ServiceGraphPattern":
                return True
            stack.extend(item.values())
        elif isinstance(item, (str, Node, int, float, bool)) or item is None:
            continue
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif hasattr(item, "__iter__"):
            stack.extend(item)
    return False


def check_remote_query(
    text: str, name: str = "<query>", max_bytes: int = MAX_QUERY_BYTES, max_depth: int = MAX_DEPTH
) -> str:
    """Check a query that a client sent; returns its form (``SELECT``, ``ASK``, ...).

    Raises
    ------
    QueryError
        Too long, too deep, an update, not parseable as a SPARQL 1.1 query, or it uses ``SERVICE``.

    Examples
    --------
    >>> check_remote_query("ASK { ?s ?p ?o }")
    'ASK'
    >>> check_remote_query("PREFIX ex: <http://ex/> SELECT * { SERVICE <http://x/> { ?s ?p ?o } }")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    QueryError: SERVICE (federated query) is disabled on this endpoint
    """
    if not text.strip():
        raise QueryError("the query is empty")
    check_limits(text, max_bytes, max_depth)
    form = query_form(text)
    if form is not None and form not in READ_FORMS:
        raise QueryError(f"this endpoint is read-only: {form} (an update) is refused")
    from rdflib.plugins.sparql.parser import parseQuery

    from .queries import syntax_error

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20_000))
    try:
        tree = parseQuery(text)
    except RecursionError:
        raise QueryError("the query is too complex to check; split it or simplify it") from None
    except Exception as exc:  # pyparsing's ParseException and rdflib's own errors
        raise syntax_error(exc, text, name) from None
    finally:
        sys.setrecursionlimit(limit)
    if uses_service(tree):
        raise QueryError("SERVICE (federated query) is disabled on this endpoint")
    return form or "SELECT"
