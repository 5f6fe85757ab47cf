"""Generate the ontology (zg: vocabulary) and the SHACL shapes from the model files."""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import yaml

from ..records.model import ACTOR_KINDS, Model, get_model

__all__ = ["model_summary", "ontology_turtle", "shapes_turtle"]

_HEADER_PREFIXES = ("zg", "sem", "schema", "prov", "oa", "geo", "dcterms", "owl", "rdf", "rdfs", "xsd", "sh")


def _extra() -> Any:
    return yaml.safe_load(
        resources.files("zhanaozen_graph").joinpath("model").joinpath("ontology.yaml").read_text("utf-8")
    )


def _lit(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"@en'


def _prefixes(model: Model) -> str:
    return "".join(f"@prefix {p}: <{model.prefixes[p]}> .\n" for p in _HEADER_PREFIXES) + "\n"


@functools.cache
def ontology_turtle() -> str:
    """The zg: ontology in Turtle: every term with an rdfs:label and an rdfs:comment.

    Examples
    --------
    >>> text = ontology_turtle()
    >>> "zg:Role-detainee a zg:RoleType" in text
    True
    """
    model = get_model()
    extra = _extra()
    zg = model.prefixes["zg"]
    out = [_prefixes(model)]
    out.append(
        f"<{zg.rstrip('#')}> a owl:Ontology ;\n    rdfs:label {_lit('zhanaozen-graph vocabulary')} ;\n"
        f"    rdfs:comment {_lit('Terms for claims and stances, quantities with qualifiers, legal provisions, evidence and uncertain dates, used with SEM, schema.org, PROV-O, Web Annotation and WGS84.')} .\n\n"
    )
    for name, c in extra["classes"].items():
        sub = f" ;\n    rdfs:subClassOf {c['subclass_of']}" if c.get("subclass_of") else ""
        out.append(
            f"zg:{name} a owl:Class ;\n    rdfs:label {_lit(c['label'])} ;\n    rdfs:comment {_lit(c['comment'])}{sub} .\n\n"
        )
    for name, p in extra["properties"].items():
        out.append(
            f"zg:{name} a rdf:Property ;\n    rdfs:label {_lit(p['label'])} ;\n    rdfs:comment {_lit(p['comment'])} .\n\n"
        )
    for key, s in extra["date_statuses"].items():
        out.append(
            f"zg:DateStatus-{key} a zg:DateStatus ;\n    rdfs:label {_lit(s['label'])} ;\n    rdfs:comment {_lit(s['comment'])} .\n\n"
        )
    for vocab in model.vocabularies.values():
        for term in vocab.terms.values():
            extra_type = ", owl:ObjectProperty" if vocab.name == "relations" else ""
            out.append(
                f"zg:{vocab.local_name(term.key)} a {vocab.rdf_class}{extra_type} ;\n"
                f"    rdfs:label {_lit(term.label)} ;\n    rdfs:comment {_lit(term.comment)} .\n\n"
            )
    return "".join(out)


def _class_of(model: Model, kinds: tuple[str, ...]) -> str:
    if kinds == ACTOR_KINDS:
        return "sem:Actor"
    if len(kinds) == 1:
        return model.kinds[kinds[0]].classes[0]
    return ""


@functools.cache
def _date_shapes(need: str) -> list[str]:
    statuses = " ".join(f"zg:DateStatus-{s}" for s in _extra()["date_statuses"])
    return [
        f"[ sh:path sem:hasEarliestBeginTimeStamp ; sh:datatype xsd:date ; sh:maxCount 1{need} ; "
        "sh:lessThanOrEquals sem:hasLatestBeginTimeStamp ]",
        f"[ sh:path sem:hasLatestBeginTimeStamp ; sh:datatype xsd:date ; sh:maxCount 1{need} ; "
        "sh:lessThanOrEquals sem:hasLatestEndTimeStamp ]",
        f"[ sh:path sem:hasEarliestEndTimeStamp ; sh:datatype xsd:date ; sh:maxCount 1{need} ; "
        "sh:lessThanOrEquals sem:hasLatestEndTimeStamp ]",
        f"[ sh:path sem:hasLatestEndTimeStamp ; sh:datatype xsd:date ; sh:maxCount 1{need} ]",
        f"[ sh:path zg:date ; sh:datatype <http://id.loc.gov/datatypes/edtf/EDTF> ; sh:maxCount 1{need} ]",
        f"[ sh:path zg:dateStatus ; sh:maxCount 1 ; sh:in ( {statuses} ) ]",
    ]


def shapes_turtle() -> str:
    """SHACL shapes for the model, generated from ``kinds.yaml`` and ``vocabularies.yaml``.

    Examples
    --------
    >>> "zg:EventShape a sh:NodeShape" in shapes_turtle()
    True
    """
    model = get_model()
    out = [_prefixes(model)]
    for kind in model.kinds.values():
        props: list[str] = [
            "[ sh:path rdfs:label ; sh:minCount 1 ; sh:datatype xsd:string ]",
            "[ sh:path zg:evidence ; sh:minCount 1 ; sh:class oa:Annotation ]",
            "[ sh:path prov:wasDerivedFrom ; sh:minCount 1 ; sh:class zg:SourceDocument ]",
        ]
        for prop in kind.properties.values():
            if prop.rdf is None or prop.name in ("label", "evidence") or prop.external:
                continue
            parts = [f"sh:path {prop.rdf}"]
            if prop.required and prop.base_type not in ("participants", "quantities"):
                parts.append("sh:minCount 1")
            # One value per record holds for its identity; a statement may differ from source to source.
            if (
                not prop.many
                and prop.base_type in ("text", "enum", "ref")
                and (prop.identity or not kind.register)
            ):
                parts.append("sh:maxCount 1")
            if prop.base_type == "text":
                parts.append("sh:datatype xsd:string")
            elif prop.base_type == "ref":
                cls = _class_of(model, model.kinds_matching(prop.argument or "Any"))
                parts.append(f"sh:class {cls}" if cls else "sh:nodeKind sh:IRI")
            elif prop.base_type == "enum":
                vocab = model.vocabularies[prop.argument or ""]
                terms = " ".join(f"zg:{vocab.local_name(k)}" for k in vocab.terms)
                parts.append(f"sh:in ( {terms} )")
            elif prop.base_type == "participants":
                parts.append("sh:class sem:Role")
            elif prop.base_type == "quantities":
                parts.append("sh:class zg:Quantity")
            props.append("[ " + " ; ".join(parts) + " ]")
        if "date" in kind.properties:
            need = " ; sh:minCount 1" if kind.properties["date"].required else ""
            props += [*_date_shapes(need), "[ sh:path zg:dated ; sh:class zg:DateStatement ]"]
        body = " ;\n    sh:property ".join(props)
        out.append(
            f"zg:{kind.name}Shape a sh:NodeShape ;\n    sh:targetClass {kind.classes[0]} ;\n    sh:property {body} .\n\n"
        )
    out.append(
        "zg:RoleShape a sh:NodeShape ;\n    sh:targetClass sem:Role ;\n"
        "    sh:property [ sh:path rdf:value ; sh:minCount 1 ; sh:maxCount 1 ; sh:class sem:Actor ] ;\n"
        "    sh:property [ sh:path sem:roleType ; sh:minCount 1 ; sh:maxCount 1 ; sh:class zg:RoleType ] .\n\n"
        "zg:DateStatementShape a sh:NodeShape ;\n    sh:targetClass zg:DateStatement ;\n    sh:property "
        + " ;\n    sh:property ".join(
            [
                *_date_shapes(" ; sh:minCount 1"),
                "[ sh:path dcterms:source ; sh:minCount 1 ; sh:maxCount 1 ; sh:class zg:SourceDocument ]",
            ]
        )
        + " .\n\n"
        "zg:QuantityShape a sh:NodeShape ;\n    sh:targetClass zg:Quantity ;\n"
        "    sh:property [ sh:path rdf:value ; sh:maxCount 1 ; sh:or ( [ sh:datatype xsd:integer ] [ sh:datatype xsd:decimal ] ) ] ;\n"
        "    sh:property [ sh:path zg:low ; sh:maxCount 1 ; sh:or ( [ sh:datatype xsd:integer ] [ sh:datatype xsd:decimal ] ) ] ;\n"
        "    sh:property [ sh:path zg:best ; sh:maxCount 1 ; sh:or ( [ sh:datatype xsd:integer ] [ sh:datatype xsd:decimal ] ) ] ;\n"
        "    sh:property [ sh:path zg:high ; sh:maxCount 1 ; sh:or ( [ sh:datatype xsd:integer ] [ sh:datatype xsd:decimal ] ) ] ;\n"
        "    sh:property [ sh:path zg:qualifier ; sh:minCount 1 ; sh:maxCount 1 ; sh:class zg:Qualifier ] ;\n"
        "    sh:property [ sh:path zg:measure ; sh:minCount 1 ; sh:datatype xsd:string ] ;\n"
        "    sh:property [ sh:path zg:evidence ; sh:minCount 1 ; sh:class oa:Annotation ] .\n\n"
        "zg:AnnotationShape a sh:NodeShape ;\n    sh:targetClass oa:Annotation ;\n"
        "    sh:property [ sh:path oa:hasBody ; sh:minCount 1 ] ;\n"
        "    sh:property [ sh:path ( oa:hasTarget oa:hasSource ) ; sh:minCount 1 ; sh:maxCount 1 ; sh:class zg:SourceDocument ] ;\n"
        "    sh:property [ sh:path ( oa:hasTarget oa:hasSelector oa:exact ) ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:string ] ;\n"
        "    sh:property [ sh:path ( oa:hasTarget oa:hasSelector oa:start ) ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:integer ; sh:minInclusive 0 ] .\n\n"
        "zg:SourceDocumentShape a sh:NodeShape ;\n    sh:targetClass zg:SourceDocument ;\n"
        "    sh:property [ sh:path dcterms:title ; sh:minCount 1 ; sh:maxCount 1 ] ;\n"
        "    sh:property [ sh:path dcterms:publisher ; sh:minCount 1 ; sh:class schema:Organization ] ;\n"
        "    sh:property [ sh:path sem:hasEarliestBeginTimeStamp ; sh:minCount 1 ; sh:datatype xsd:date ; sh:lessThanOrEquals sem:hasLatestEndTimeStamp ] .\n"
    )
    return "".join(out)


def model_summary() -> str:
    """A plain-text summary of the model: kinds with their properties, and the vocabularies.

    Examples
    --------
    >>> print(model_summary().splitlines()[0])
    Person (people): A named or unnamed individual the documents speak of.
    """
    model = get_model()
    lines: list[str] = []
    for kind in model.kinds.values():
        lines.append(f"{kind.name} ({kind.section}): {kind.comment}")
        for prop in kind.properties.values():
            flags = ", ".join(
                f
                for f in (
                    "required" if prop.required else "",
                    "many" if prop.many else "",
                    "external" if prop.external else "",
                )
                if f
            )
            lines.append(f"  {prop.name}: {prop.type}{f' [{flags}]' if flags else ''} - {prop.comment}")
    for vocab in model.vocabularies.values():
        lines.append(f"{vocab.name}: {', '.join(vocab.terms)}")
    return "\n".join(lines)
