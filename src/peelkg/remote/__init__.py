"""Remote SPARQL stores: push the built graphs to one, and run stored queries on one.

Modules, in the order data flows:

* ``client``   -- the one HTTP client (httpx): http(s) only, no redirects, credentials only to
                  the URLs named, timeouts, password never in a message;
* ``profiles`` -- where Virtuoso, Fuseki, GraphDB and Oxigraph take queries, updates and
                  Graph Store requests, and which authentication they use;
* ``sparql``   -- the SPARQL 1.1 Protocol and Graph Store requests over the client;
* ``payload``  -- a graph as a Graph Store body or as INSERT operations;
* ``verify``   -- does a remote graph hold exactly the local triples;
* ``push``     -- staged, verified replacement of named graphs, with an honest report;
* ``query``    -- ``peelkg query --endpoint``.
"""
