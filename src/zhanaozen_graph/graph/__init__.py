"""Records out as RDF: the RDF builder, the ontology and shapes, SHACL, and the cached build."""
