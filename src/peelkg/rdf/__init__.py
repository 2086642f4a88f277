"""RDF basics every stage uses: the vocabulary, short names, file reading and the rdflib bridge."""
