"""IRIs written short for people (``report:peel-2015-...``) and read back: compact and expand.

Messages, tables and docs write IRIs with the project's prefixes (rdf.vocab.PREFIXES); the
validator also uses the input file's own prefixes, so that a problem is named as the user wrote it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from ..errors import UserError
from .vocab import CHECKS_NS, PREFIXES

# The prefixes used to write node names when the input files do not declare one.
NAME_PREFIXES = {**PREFIXES, "peelkg": CHECKS_NS}

IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
_LOCAL_NAME = re.compile(r"[\w.-]*[\w-]")


def compact(term: str) -> str:
    """An IRI written with the project's prefixes, for messages."""
    best = None
    for prefix, namespace in PREFIXES.items():
        if term.startswith(namespace) and (best is None or len(namespace) > len(best[1])):
            best = (prefix, namespace)
    if best is None:
        return term if not term.startswith("http") else f"<{term}>"
    return f"{best[0]}:{term[len(best[1]):]}"


def local_name(iri: str, namespace: str | None = None) -> str:
    """``iri`` without ``namespace`` (``force:kent`` -> ``kent``), or, with no namespace, the part
    after its last ``/`` or ``#``; ``iri`` itself when it does not start with ``namespace``."""
    if namespace is None:
        return re.split(r"[/#]", iri)[-1]
    return iri[len(namespace):] if iri.startswith(namespace) else iri


def expand_iri(value: str) -> str:
    """A full IRI from ``<iri>``, ``iri`` or a prefixed name of the project (``report:...``)."""
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        value = PREFIXES[prefix] + local
    if not _SCHEME.match(value) or IRI_FORBIDDEN.search(value):
        raise UserError(f"{value!r} is not an IRI; give a full IRI or a prefixed name such as report:...")
    return value


class Namer:
    """Writes IRIs with the input's own prefixes (judgment:q2), else the project's."""

    def __init__(self, prefixes: dict[str, str]):
        self.prefixes = sorted({**NAME_PREFIXES, **prefixes}.items(), key=lambda kv: -len(kv[1]))

    def __call__(self, iri: str) -> str:
        for prefix, namespace in self.prefixes:
            if iri.startswith(namespace):
                local = iri[len(namespace):]
                if local and _LOCAL_NAME.fullmatch(local):
                    return f"{prefix}:{local}"
        return compact(iri)


def closest_first(word: str, options: Iterable[str]) -> list[str]:
    """``options`` ordered by similarity to ``word``, most similar first."""
    return sorted(
        set(options),
        key=lambda o: (-difflib.SequenceMatcher(None, word.lower(), o.lower()).ratio(), o),
    )
