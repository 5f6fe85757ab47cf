"""The persisted store: written by the build, opened read-only, reused when up to date, rebuilt when stale."""

from __future__ import annotations

import importlib
import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from zhanaozen_graph import load_dataset, load_graph
from zhanaozen_graph.synth import generate_corpus

build_module = importlib.import_module(
    "zhanaozen_graph.graph.build"
)  # the package exports build() under that name

LABEL = "SELECT ?l WHERE { <https://w3id.org/zhanaozen-graph/id/person/d00000-person-1> <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
EVENTS = "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a <http://semanticweb.cs.vu.nl/2009/11/sem/Event> }"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("store") / "corpus"
    generate_corpus(out, documents=1, seed=3)
    return out


@pytest.fixture
def built(corpus: Path, tmp_path: Path) -> tuple[Path, Path]:
    data, out = tmp_path / "data", tmp_path / "build"
    shutil.copytree(corpus, data)
    build_module.build(data, out, shacl=False)
    return data, out


def no_build(*args: object, **kwargs: object) -> None:
    raise AssertionError("the build should have been reused")


def test_the_build_writes_a_store_with_the_same_quads_as_the_nquads(built: tuple[Path, Path]) -> None:
    _, out = built
    store = ox.Store.read_only(str(out / "store"))
    # Loaded into memory the same file gives the same quads (the builder writes the canonical forms
    # the store keeps, so nothing is rewritten).
    in_memory = ox.Store()
    in_memory.bulk_load(path=str(out / "graph.nq"), format=ox.RdfFormat.N_QUADS)
    assert set(store) == set(in_memory)
    assert len(list(ox.parse(path=str(out / "graph.nq"), format=ox.RdfFormat.N_QUADS))) == len(store)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["store_fingerprint"] == manifest["fingerprint"]
    assert len(store) == manifest["quads"]


def test_an_up_to_date_build_is_opened_read_only_without_building(
    built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    data, out = built
    before = (out / "store").stat().st_ino
    monkeypatch.setattr(build_module, "build", no_build)
    kg = load_graph(data, out)
    assert (out / "store").stat().st_ino == before
    assert len(kg) == kg.manifest["quads"]
    label = load_dataset_label(data)
    assert kg.select(LABEL) == [{"l": label}]
    with pytest.raises(RuntimeError, match="read-write"):
        kg.store.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.NamedNode("urn:c")))


def load_dataset_label(data: Path) -> str:
    return load_dataset(data).records["d00000-person-1"].label


def test_in_memory_gives_the_same_answers_and_can_be_written(built: tuple[Path, Path]) -> None:
    data, out = built
    on_disk, in_memory = load_graph(data, out), load_graph(data, out, in_memory=True)
    assert on_disk.select(EVENTS) == in_memory.select(EVENTS)
    assert set(on_disk.store) == set(in_memory.store)
    in_memory.store.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.NamedNode("urn:c")))
    assert len(in_memory) == len(on_disk) + 1


def test_a_stale_build_is_rebuilt_and_the_store_replaced(built: tuple[Path, Path]) -> None:
    data, out = built
    actors = data / "records" / "synth-00000" / "actors.yaml"
    label = load_dataset_label(data)
    actors.write_text(actors.read_text().replace(f"label: {label}\n", "label: Renamed Person\n", 1))
    before = (out / "store").stat().st_ino
    kg = load_graph(data, out)
    assert kg.select(LABEL) == [{"l": "Renamed Person"}]
    assert (out / "store").stat().st_ino != before
    assert sorted(p.name for p in out.iterdir()) == [
        "cache",
        "graph.jsonld",
        "graph.nq",
        "graph.nt",
        "graph.trig",
        "graph.ttl",
        "manifest.json",
        "store",
    ]


def test_a_missing_store_is_made_from_the_nquads(
    built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    data, out = built
    shutil.rmtree(out / "store")
    monkeypatch.setattr(build_module, "build", no_build)
    kg = load_graph(data, out)
    assert (out / "store").is_dir()
    assert len(kg) == kg.manifest["quads"]


def test_a_store_from_another_build_is_replaced(
    built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    data, out = built
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["store_fingerprint"] = "an older build"
    (out / "manifest.json").write_text(json.dumps(manifest))
    before = (out / "store").stat().st_ino
    monkeypatch.setattr(build_module, "build", no_build)
    load_graph(data, out)
    assert (out / "store").stat().st_ino != before
    assert json.loads((out / "manifest.json").read_text())["store_fingerprint"] == manifest["fingerprint"]


def test_rdflib_api_over_the_same_store(built: tuple[Path, Path]) -> None:
    data, out = built
    kg = load_graph(data, out)
    dataset = kg.rdflib_graph()
    (row,) = list(dataset.query(EVENTS))
    assert int(row[0]) == kg.select(EVENTS)[0]["n"] == len(load_dataset(data).by_kind("Event"))
