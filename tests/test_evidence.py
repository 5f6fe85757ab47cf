"""Quotes are found verbatim (whitespace-insensitive, across the PDF's hyphenated line break)."""

from __future__ import annotations

from zhanaozen_graph.records.evidence import SourceIndex, sentences

from .conftest import DATA

TEXT = (DATA / "sources" / "amnesty-ua-2012-07-atabaev-released.txt").read_text()


def test_quote_across_the_hyphenated_line_break() -> None:
    match = SourceIndex(TEXT).find("The president imposed a 20-day state of emergency in Zhanaozen")
    assert match is not None
    assert match.exact == "The president imposed a 20-\n\nday state of emergency in Zhanaozen"
    assert TEXT[match.start : match.end] == match.exact


def test_quote_across_ordinary_line_breaks() -> None:
    match = SourceIndex(TEXT).find(
        "Bolat Atabaev walked free from Pre-trial Detention Centre Number One in Aktau at 10pm on 3 July."
    )
    assert match is not None
    assert match.exact.startswith("Bolat Atabaev walked free from Pre-trial \n\nDetention")


def test_a_changed_word_is_not_found() -> None:
    assert SourceIndex(TEXT).find("The president imposed a 30-day state of emergency") is None


def test_typographic_quotes_must_match() -> None:
    index = SourceIndex(TEXT)
    assert index.find("“young hooligans”") is not None
    assert index.find('"young hooligans"') is None


def test_sentences_of_the_document() -> None:
    spans = sentences(TEXT)
    texts = [" ".join(TEXT[a:b].split()) for a, b in spans]
    assert len(texts) == 51
    assert texts[2] == "Prisoner of conscience Bolat Atabaev was released on 3 July."
    assert texts[-1] == "Seven of the defendants were sentenced to prison terms of up to seven years."
    assert texts[5].endswith("“I went to Zhanaozen, and gave a speech. I admit these were my actions”.")
