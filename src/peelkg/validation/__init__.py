"""Validation: the SHACL shapes, the checks SHACL cannot make, and the report of what was found."""
