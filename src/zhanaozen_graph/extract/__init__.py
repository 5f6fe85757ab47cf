"""Assisted extraction: add a document, propose records from its text; nothing is a fact until accepted."""
