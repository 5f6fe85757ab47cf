"""The data model, read once from the YAML files in ``zhanaozen_graph/model/``."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

from ..errors import ModelError

__all__ = [
    "Kind",
    "Model",
    "Property",
    "Term",
    "Vocabulary",
    "get_model",
    "sparql_prefixes",
]

ACTOR_KINDS = ("Person", "Group", "Organisation")
ENTITY_KINDS = (*ACTOR_KINDS, "Place", "LegalProvision")


@dataclass(frozen=True)
class Property:
    """One property of a record kind, as declared in ``kinds.yaml``."""

    name: str
    type: str
    required: bool = False
    many: bool = False
    rdf: str | None = None
    external: bool = False
    identity: bool = False
    also_in_register: bool = False
    comment: str = ""

    @property
    def in_register(self) -> bool:
        """Whether the value belongs to the register (identity or outside knowledge), not to a source."""
        return self.identity or self.external

    @functools.cached_property
    def base_type(self) -> str:
        """The type without its argument: ``ref`` for ``ref:Place`` (read for every value checked: kept)."""
        return self.type.split(":", 1)[0]

    @functools.cached_property
    def argument(self) -> str | None:
        """The type's argument: ``Place`` for ``ref:Place``, ``roles`` for ``enum:roles``."""
        return self.type.split(":", 1)[1] if ":" in self.type else None


@dataclass(frozen=True)
class Kind:
    """A record kind (Person, Event, Claim...)."""

    name: str
    section: str
    classes: tuple[str, ...]
    path: str
    label: str
    comment: str
    properties: dict[str, Property]
    register: bool = False


@dataclass(frozen=True)
class Term:
    """One term of a controlled vocabulary."""

    key: str
    label: str
    comment: str


@dataclass(frozen=True)
class Vocabulary:
    """A controlled vocabulary (event types, roles, stances...)."""

    name: str
    prefix: str
    rdf_class: str
    terms: dict[str, Term]

    def local_name(self, key: str) -> str:
        """The ontology local name of a term: ``Role-detainee``."""
        return f"{self.prefix}-{key}"


@dataclass(frozen=True)
class Model:
    """The whole model: kinds, vocabularies, namespaces, date rules."""

    kinds: dict[str, Kind]
    vocabularies: dict[str, Vocabulary]
    base: str
    prefixes: dict[str, str]
    date_parts: dict[str, dict[str, tuple[int, int]]]
    date_relations: dict[str, tuple[int | None, int | None]]
    sections: dict[str, str] = field(default_factory=dict)
    extraction: dict[str, Any] = field(default_factory=dict)

    def expand(self, curie: str) -> str:
        """Expand a CURIE such as ``sem:Event`` to a full IRI.

        Examples
        --------
        >>> get_model().expand("sem:Event")
        'http://semanticweb.cs.vu.nl/2009/11/sem/Event'
        """
        prefix, _, local = curie.partition(":")
        if prefix not in self.prefixes:
            raise ModelError(f"unknown prefix in {curie!r}", hint="declare it in model/namespaces.yaml")
        return self.prefixes[prefix] + local

    def kinds_matching(self, argument: str) -> tuple[str, ...]:
        """The kinds a ``ref:`` argument admits (``Actor`` = people, groups, organisations)."""
        if argument == "Actor":
            return ACTOR_KINDS
        if argument == "Entity":
            return ENTITY_KINDS
        if argument == "Any":
            return self.kind_names
        return (argument,)

    @functools.cached_property
    def kind_names(self) -> tuple[str, ...]:
        """The names of every kind."""
        return tuple(self.kinds)

    def instance_iri(self, kind: str, slug: str) -> str:
        """The IRI of a record.

        Examples
        --------
        >>> get_model().instance_iri("Person", "bolat-atabaev")
        'https://w3id.org/zhanaozen-graph/id/person/bolat-atabaev'
        """
        return f"{self.base}id/{self.kinds[kind].path}/{slug}"

    def term_iri(self, vocabulary: str, key: str) -> str:
        """The IRI of a vocabulary term.

        Examples
        --------
        >>> get_model().term_iri("roles", "detainee")
        'https://w3id.org/zhanaozen-graph/ontology#Role-detainee'
        """
        return self.prefixes["zg"] + self.vocabularies[vocabulary].local_name(key)

    def graph_iri(self, source_slug: str) -> str:
        """The named graph of one source document (``external`` for curated outside knowledge)."""
        return f"{self.base}graph/{source_slug}"


_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read(name: str) -> Any:
    text = resources.files("zhanaozen_graph").joinpath("model").joinpath(name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=_SafeLoader)  # libyaml's parser when present: the same result, faster


@functools.cache
def get_model() -> Model:
    """Read the model files once and return the model.

    Examples
    --------
    >>> model = get_model()
    >>> sorted(model.kinds)[:3]
    ['Claim', 'Event', 'Group']
    >>> "detainee" in model.vocabularies["roles"].terms
    True
    """
    kinds_raw = _read("kinds.yaml")
    vocab_raw = _read("vocabularies.yaml")
    ns_raw = _read("namespaces.yaml")
    kinds: dict[str, Kind] = {}
    for name, spec in kinds_raw.items():
        props = {
            pname: Property(
                name=pname,
                type=p["type"],
                required=bool(p.get("required", False)),
                many=bool(p.get("many", False)),
                rdf=p.get("rdf"),
                external=bool(p.get("external", False)),
                identity=bool(p.get("identity", False)),
                also_in_register=bool(p.get("also_in_register", False)),
                comment=p.get("comment", ""),
            )
            for pname, p in spec["properties"].items()
        }
        kinds[name] = Kind(
            name=name,
            section=spec["section"],
            classes=tuple(spec["class"]),
            path=spec["path"],
            label=spec["label"],
            comment=spec["comment"],
            properties=props,
            register=bool(spec.get("register", False)),
        )
    vocabularies: dict[str, Vocabulary] = {}
    for vname in (
        "event_types",
        "roles",
        "stances",
        "portions",
        "place_types",
        "relations",
        "quantity_qualifiers",
    ):
        v = vocab_raw[vname]
        vocabularies[vname] = Vocabulary(
            name=vname,
            prefix=v["prefix"],
            rdf_class=v["class"],
            terms={k: Term(k, t["label"], t["comment"]) for k, t in v["terms"].items()},
        )
    parts = {
        scale: {part: (int(p["first"]), int(p["last"])) for part, p in spec.items()}
        for scale, spec in vocab_raw["date_parts"].items()
    }
    relations = {
        k: (v["offset_days"][0], v["offset_days"][1]) for k, v in vocab_raw["date_relations"].items()
    }
    model = Model(
        kinds=kinds,
        vocabularies=vocabularies,
        base=ns_raw["base"],
        prefixes=dict(ns_raw["prefixes"]),
        date_parts=parts,
        date_relations=relations,
        sections={k.section: k.name for k in kinds.values()},
        extraction=dict(vocab_raw.get("extraction") or {}),
    )
    for etype in [*model.extraction.get("event_triggers", {}), *model.extraction.get("event_roles", {})]:
        if etype not in vocabularies["event_types"].terms:
            raise ModelError(f"extraction names unknown event type {etype!r}")
    for kind in kinds.values():
        for prop in kind.properties.values():
            if prop.base_type == "enum" and prop.argument not in vocabularies:
                raise ModelError(f"{kind.name}.{prop.name} names unknown vocabulary {prop.argument!r}")
            if prop.base_type == "ref":
                for k in model.kinds_matching(prop.argument or ""):
                    if k not in kinds:
                        raise ModelError(f"{kind.name}.{prop.name} refers to unknown kind {k!r}")
            if prop.rdf:
                model.expand(prop.rdf)
    return model


@functools.cache
def sparql_prefixes() -> str:
    """The model's namespaces as a block of SPARQL ``PREFIX`` declarations, for queries in the code.

    Examples
    --------
    >>> sparql_prefixes().splitlines()[0]
    'PREFIX zg: <https://w3id.org/zhanaozen-graph/ontology#>'
    """
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in get_model().prefixes.items())
