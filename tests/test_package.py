"""The package's lazy public API: cheap to import, every name still there."""

from __future__ import annotations

import subprocess
import sys

import zhanaozen_graph


def test_import_loads_no_parser_of_yaml_or_edtf() -> None:
    code = "import sys, zhanaozen_graph; print(sorted(m for m in ('yaml', 'edtf', 'rdflib', 'zhanaozen_graph.records.validate') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == "[]\n"


def test_every_public_name_resolves() -> None:
    for name in zhanaozen_graph.__all__:
        assert getattr(zhanaozen_graph, name) is not None, name
    assert set(zhanaozen_graph.__all__) <= set(dir(zhanaozen_graph))


def test_build_is_the_function_not_the_submodule() -> None:
    import zhanaozen_graph.graph.build  # noqa: F401 - the submodule of the same name
    from zhanaozen_graph import build

    assert callable(build) and build.__module__ == "zhanaozen_graph.graph.build"


def test_unknown_name() -> None:
    try:
        zhanaozen_graph.nothing  # type: ignore[attr-defined]  # noqa: B018
    except AttributeError as exc:
        assert str(exc) == "module 'zhanaozen_graph' has no attribute 'nothing'"
    else:
        raise AssertionError("no AttributeError")
