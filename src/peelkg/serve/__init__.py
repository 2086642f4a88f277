"""`peelkg serve`: the built graph over HTTP, read-only.

* ``app`` assembles the Starlette application from the route modules;
* ``sparql_endpoint`` is the SPARQL 1.1 Protocol at /sparql;
* ``api`` serves the stored queries as a web API (/api/queries, /api/openapi.json);
* ``linked_data`` dereferences /id/PATH, /def and the VoID description;
* ``pages`` (home, overview, search, query forms), ``report_page``, ``force_page`` and
  ``evidence`` build the pages for people from ``templates/``;
* ``graph`` is the one door to the store: every query goes through peelkg's query path
  (``queries.Library``, ``execute.check_params``/``run_stored``, ``queries.bind``, ``run.write``).
"""

from .app import create_app
from .config import ServeConfig

__all__ = ["create_app", "ServeConfig"]
