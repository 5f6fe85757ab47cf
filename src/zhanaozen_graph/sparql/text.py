"""Read SPARQL text without executing it: tokens, query form, prefixes, and where a VALUES block goes.

This is a small lexer, not a parser: it skips comments, strings and IRIs so that
keywords and braces inside them are not mistaken for syntax. The engines parse
the query; this module only answers the few questions asked before that
(which form is it, is it an update, does it use ``SERVICE``, where does the
outermost ``WHERE`` group open).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..errors import QueryError

__all__ = [
    "MAX_DEPTH",
    "MAX_QUERY_BYTES",
    "UPDATE_KEYWORDS",
    "Token",
    "check_limits",
    "declared_prefixes",
    "insert_values",
    "keywords",
    "nesting_depth",
    "query_form",
    "tokens",
    "variables",
]

UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)
_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
MAX_QUERY_BYTES = 100_000
MAX_DEPTH = 48

# Every alternative either fails at once or consumes all it scanned, so that lexing is linear in the
# length of the text whatever it holds: an unterminated string runs to the end of its line (or of the
# text, for a long string), and a name is read as one maximal run of name characters that is then split
# in Python (a failed prefixed name no longer rescans the rest of a chain like ``a.a.a.``, which made
# the old lexer quadratic). Names use \w (Unicode letters, digits, underscore): close enough to the
# SPARQL grammar for finding keywords and braces, and far cheaper to compile than its exact ranges.
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\"|\Z)|'\'\'(?:[^'\\]|\\.|'(?!''))*(?:'\'\'|\Z)
      |"(?:[^"\\\n]|\\.)*(?:"|(?=\n)|\Z)|'(?:[^'\\\n]|\\.)*(?:'|(?=\n)|\Z))
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$]\w+)
  | (?P<name>(?:[\w.\-:%]|\\[_~.\-!$&'()*+,;=/?\#@%])+)
  | (?P<punct>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_PREFIX = re.compile(r"(?:[^\W\d_][\w.\-]*)?")


@dataclass(frozen=True)
class Token:
    """A lexical token: its kind (``comment``, ``string``, ``iri``, ``var``, ``pname``, ``word``, ``punct``), text and offset."""

    kind: str
    text: str
    start: int


def tokens(text: str, *, comments: bool = False) -> list[Token]:
    """The tokens of ``text``, without whitespace (and without comments unless asked).

    Examples
    --------
    >>> [t.text for t in tokens('SELECT ?x { ?x <urn:p> "{" } # }')]
    ['SELECT', '?x', '{', '?x', '<urn:p>', '"{"', '}']
    >>> [t.kind for t in tokens("FILTER(?a < ?b)")]
    ['word', 'punct', 'var', 'punct', 'var', 'punct']
    """
    return list(_iter_tokens(text, comments=comments))


def _iter_tokens(text: str, *, comments: bool = False) -> Iterator[Token]:
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "punct"
        if kind == "ws" or (kind == "comment" and not comments):
            continue
        if kind == "name":
            yield from _split_name(m.group(), m.start())
        else:
            yield Token(kind, m.group(), m.start())


def _split_name(run: str, start: int) -> list[Token]:
    """The tokens of a run of name characters: a prefixed name, words, numbers and dots between them."""
    colon = run.find(":")
    if colon >= 0 and _PREFIX.fullmatch(run, 0, colon) and not run[:colon].endswith("."):
        end = len(run.rstrip("."))  # a triple's final dot is not part of the name
        name = [Token("pname", run[:end], start)]
        return name + [Token("punct", ".", start + i) for i in range(end, len(run))]
    out: list[Token] = []
    for m in re.finditer(r"[^.:]+|[.:]", run):
        piece = m.group()
        if piece in (".", ":"):
            kind = "punct"
        elif piece[0].isalpha() and piece.replace("_", "a").isalnum():
            kind = "word"
        else:
            kind = "number" if piece[0].isdigit() else "punct"
        out.append(Token(kind, piece, start + m.start()))
    return out


def keywords(text: str) -> list[str]:
    """The bare words of ``text`` in upper case (keywords and function names), in order.

    Examples
    --------
    >>> keywords("prefix x: <urn:> select * { service <urn:s> {} }")
    ['PREFIX', 'SELECT', 'SERVICE']
    """
    return [t.text.upper() for t in tokens(text) if t.kind == "word"]


def query_form(text: str) -> str | None:
    """The form of a query or update: ``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``, an update keyword, or None.

    Examples
    --------
    >>> query_form("PREFIX a: <urn:a#> # comment\\nconstruct WHERE { ?s ?p ?o }")
    'CONSTRUCT'
    >>> query_form("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    'INSERT'
    >>> query_form("nonsense") is None
    True
    """
    for tok in _iter_tokens(text):  # lazily: only the first keywords are read
        if tok.kind != "word":
            continue
        word = tok.text.upper()
        if word in ("PREFIX", "BASE"):
            continue
        if word in _FORMS or word in UPDATE_KEYWORDS:
            return word
        return None
    return None


def nesting_depth(text: str) -> int:
    """How deep brackets (``{``, ``(``, ``[``) nest in ``text``, outside strings, IRIs and comments.

    Examples
    --------
    >>> nesting_depth('SELECT * { ?s ?p "{{{" FILTER(?s IN (<urn:a>)) }')
    3
    """
    depth = deepest = 0
    for tok in _iter_tokens(text):
        if tok.kind == "punct":
            if tok.text in "{([":
                depth += 1
                deepest = max(deepest, depth)
            elif tok.text in "})]":
                depth -= 1
    return deepest


def check_limits(text: str, max_bytes: int = MAX_QUERY_BYTES, max_depth: int = MAX_DEPTH) -> None:
    """Refuse a query longer than ``max_bytes`` (UTF-8) or nested deeper than ``max_depth`` brackets.

    Both checks take time linear in the length of the text and come before any parser sees it:
    pyoxigraph's parser crashes the process on a query nested a few thousand levels deep.

    Raises
    ------
    QueryError
        The query is too long or too deeply nested.

    Examples
    --------
    >>> check_limits("SELECT * { ?s ?p ?o }")
    >>> check_limits("SELECT * " + "{" * 60 + "}" * 60)
    Traceback (most recent call last):
    zhanaozen_graph.errors.QueryError: the query nests brackets 60 deep; the limit is 48
    """
    size = len(text.encode("utf-8")) if len(text) * 4 > max_bytes else len(text)
    if size > max_bytes:
        raise QueryError(f"the query is {size} bytes long; the limit is {max_bytes}")
    depth = nesting_depth(text)
    if depth > max_depth:
        raise QueryError(f"the query nests brackets {depth} deep; the limit is {max_depth}")


def declared_prefixes(text: str) -> dict[str, str]:
    """The ``PREFIX`` declarations of a query, prefix name to namespace IRI.

    Examples
    --------
    >>> declared_prefixes("PREFIX zg: <https://w3id.org/zhanaozen-graph/ontology#> PREFIX : <urn:x#> SELECT * {}")
    {'zg': 'https://w3id.org/zhanaozen-graph/ontology#', '': 'urn:x#'}
    """
    toks = tokens(text)
    out: dict[str, str] = {}
    for i, t in enumerate(toks[:-2]):
        if t.kind == "word" and t.text.upper() == "PREFIX" and toks[i + 1].kind == "pname":
            iri = toks[i + 2]
            if iri.kind == "iri":
                out[toks[i + 1].text[:-1]] = iri.text[1:-1]
    return out


def variables(text: str) -> set[str]:
    """The names of the variables that occur in ``text`` (without ``?`` or ``$``).

    Examples
    --------
    >>> sorted(variables('SELECT ?a $b { ?a <urn:p> "?c" }'))
    ['a', 'b']
    """
    return {t.text[1:] for t in tokens(text) if t.kind == "var"}


def _where_brace(toks: list[Token]) -> int | None:
    """The index of the token that opens the outermost WHERE group."""
    form = None
    for i, t in enumerate(toks):
        if t.kind == "word" and t.text.upper() in _FORMS:
            form = t.text.upper()
            start = i + 1
            break
    else:
        return None
    i = start
    if form == "CONSTRUCT" and i < len(toks) and toks[i].text == "{":
        depth = 0
        while i < len(toks):  # skip the template
            if toks[i].text == "{":
                depth += 1
            elif toks[i].text == "}":
                depth -= 1
                if depth == 0:
                    i += 1
                    break
            i += 1
    paren = 0
    while i < len(toks):
        t = toks[i]
        if t.text == "(":
            paren += 1
        elif t.text == ")":
            paren -= 1
        elif t.text == "{" and paren == 0:
            return i
        i += 1
    return None


def _union_branches(toks: list[Token], brace: int) -> list[int] | None:
    """The indexes of the branches' opening braces when the group at ``brace`` is one UNION chain and nothing else."""
    opens: list[int] = []
    i, depth = brace + 1, 0
    expect_group = True
    while i < len(toks):
        t = toks[i].text
        if depth == 0:
            if t == "}":
                return opens if len(opens) > 1 and not expect_group else None
            if expect_group and t == "{":
                opens.append(i)
                expect_group = False
                depth = 1
            elif not expect_group and toks[i].kind == "word" and t.upper() == "UNION":
                expect_group = True
            else:
                return None
        elif t == "{":
            depth += 1
        elif t == "}":
            depth -= 1
        i += 1
    return None


def insert_values(text: str, values: dict[str, str]) -> str:
    """``text`` with ``VALUES`` blocks that bind variables at the start of the outermost WHERE group.

    The values must already be RDF terms in SPARQL syntax (serialised by the RDF
    library, never user text); this is how parameters reach an engine that has
    no binding mechanism of its own, such as a remote endpoint over HTTP.
    When that group is one ``UNION`` chain and nothing else, the block also goes at
    the start of each branch (a join distributes over a union, so the answer is the
    same): Oxigraph evaluates a union on its own before joining it with a block
    outside it, which made a catalogue query on one actor read every role of the graph.
    The outer block stays: Virtuoso 7.2 returns a variable bound only inside the
    branches as a plain literal instead of the IRI.

    Examples
    --------
    >>> insert_values("SELECT ?s WHERE { ?s ?p ?o }", {"s": "<urn:a>"})
    'SELECT ?s WHERE { VALUES ?s { <urn:a> } ?s ?p ?o }'
    >>> insert_values("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", {"o": '"x"'})
    'CONSTRUCT { ?s ?p ?o } WHERE { VALUES ?o { "x" } ?s ?p ?o }'
    >>> insert_values("SELECT * WHERE { { ?s <urn:p> ?o } UNION { ?o <urn:q> ?s } }", {"s": "<urn:a>"})
    'SELECT * WHERE { VALUES ?s { <urn:a> } { VALUES ?s { <urn:a> } ?s <urn:p> ?o } UNION { VALUES ?s { <urn:a> } ?o <urn:q> ?s } }'
    >>> insert_values("SELECT * WHERE { { ?s ?p ?o } UNION { ?o ?p ?s } ?s ?q ?r }", {"s": "<urn:a>"})
    'SELECT * WHERE { VALUES ?s { <urn:a> } { ?s ?p ?o } UNION { ?o ?p ?s } ?s ?q ?r }'
    """
    if not values:
        return text
    toks = tokens(text)
    index = _where_brace(toks)
    if index is None:
        raise ValueError("no WHERE group found to bind the parameters in")
    block = "".join(f" VALUES ?{name} {{ {term} }}" for name, term in values.items())
    for pos in sorted(
        (toks[i].start + 1 for i in [index, *(_union_branches(toks, index) or [])]), reverse=True
    ):
        text = text[:pos] + block + text[pos:]
    return text
