"""The curated text in, checked: the data model, the record loader, dates, evidence and validation."""
