"""Stored queries: the library, parameters, engines, output and the catalogue."""
