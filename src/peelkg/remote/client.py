"""peelkg's one HTTP client (httpx), used by push and by remote queries alike.

What it guarantees, whatever the caller asks:

* only ``http`` and ``https`` URLs with a host, and no credentials inside a URL (they come from
  PEELKG_USER / PEELKG_PASSWORD only);
* requests only to the origins (scheme, host, port) the user named: a redirect is never followed,
  it is an error naming where the server wanted to send us, so an ``Authorization`` header never
  reaches a host or port the user did not give;
* proxies and ``~/.netrc`` from the environment are ignored (``trust_env=False``), so no third
  party is handed the credentials either;
* every request waits at most ``timeout`` seconds for each step (connect, send, each read);
* the password never appears in a message.
"""

from __future__ import annotations

import os
import re
import ssl
import urllib.parse
from collections.abc import Iterable, Mapping

import httpx

from ..errors import UserError

_ERROR_EXCERPT = 300


class RemoteError(UserError):
    """A remote request failed (the message never contains the password). ``status``: the HTTP
    status of the store's answer, if it was one. ``no_answer``: the store did not answer
    (timeout, refused or broken connection), so whether it carried out the request is unknown,
    unless ``unsent``: the connection was never made, so the store never saw the request."""

    exit_code = 1

    def __init__(self, message: str, *, status: int | None = None, no_answer: bool = False,
                 unsent: bool = False, exit_code: int | None = None):
        super().__init__(message, exit_code=exit_code)
        self.status = status
        self.no_answer = no_answer or unsent
        self.unsent = unsent


def credentials() -> tuple[str | None, str | None]:
    """(user, password) from PEELKG_USER / PEELKG_PASSWORD: the only place peelkg takes them from."""
    user, password = os.environ.get("PEELKG_USER"), os.environ.get("PEELKG_PASSWORD")
    if (user is None) != (password is None):
        raise UserError("Set both PEELKG_USER and PEELKG_PASSWORD, or neither.")
    return user, password


def check_url(url: str, option: str) -> str:
    """``url`` if it is an http(s) URL with a host and no credentials; else a UserError (exit 2)
    naming ``option``. Nothing is read or sent for a refused URL."""
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number in range
    except ValueError as exc:
        raise UserError(f"{option} is not a valid URL ({redact(url)!r}: {exc}).") from None
    if re.search(r"[\x00-\x20\x7f]", url):
        raise UserError(f"{option} must not contain spaces or control characters ({redact(url)!r}).")
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise UserError(f"{option} must be an http:// or https:// URL with a host, not {redact(url)!r}: "
                        "peelkg talks to SPARQL stores over HTTP only and never reads local files.")
    if parts.username is not None or parts.password is not None:
        raise UserError(f"{option} must not contain a user name or password ({redact(url)!r}): "
                        "set PEELKG_USER and PEELKG_PASSWORD instead.")
    return url


def redact(url: str) -> str:
    """``url`` with any user:password part replaced by ***."""
    scheme, sep, rest = url.partition("://")
    authority, slash, path = rest.partition("/")
    if sep and "@" in authority:
        return f"{scheme}://***@{authority.rsplit('@', 1)[1]}{slash}{path}"
    return url


def origin(url: str) -> tuple[str, str, int]:
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or (443 if scheme == "https" else 80)


def _tls() -> ssl.SSLContext | bool:
    """https certificates are checked against httpx's CA bundle (certifi), or SSL_CERT_FILE's
    when it is set (a private CA): trust_env=False would otherwise drop that variable along with
    the proxy settings."""
    cafile = os.environ.get("SSL_CERT_FILE")
    if not cafile:
        return True
    try:
        return ssl.create_default_context(cafile=cafile)
    except (OSError, ssl.SSLError) as exc:
        raise UserError(f"SSL_CERT_FILE={cafile}: not a readable file of CA certificates ({exc}).") from None


def excerpt(body: bytes) -> str:
    """The start of an error body as one line, HTML tags removed (Virtuoso wraps errors in HTML)."""
    text = body.decode("utf-8", errors="replace")
    text = re.sub(r"(?i)<!DOCTYPE[^>]*>|</?(?:html|head|body|title|h[1-6]|xmp|pre|p|br|div)\b[^>]*>", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= _ERROR_EXCERPT else text[:_ERROR_EXCERPT] + "..."


class Client:
    """HTTP to the named endpoints of one store, with optional basic or digest authentication.

    ``allowed``: the URLs the user named; a request to any other origin is refused before it
    is sent. Digest authentication is answered ahead of each request with a body: Virtuoso
    answers an unauthenticated request with 401 and closes the connection without reading the
    body, which would turn a large PUT into a connection reset. So before the first such
    request to a path, a small GET fetches the challenge, and httpx's DigestAuth then signs the
    real request at once.
    """

    def __init__(self, allowed: Iterable[str], *, user: str | None = None, password: str | None = None,
                 auth: str = "digest", timeout: float = 60.0):
        if (user is None) != (password is None):
            raise UserError("Set both PEELKG_USER and PEELKG_PASSWORD, or neither.")
        if auth not in ("digest", "basic"):
            raise ValueError(f"auth must be 'digest' or 'basic', not {auth!r}")
        self._origins = {origin(check_url(u, "the endpoint")) for u in allowed}
        self._password = password
        self.user = user
        self.auth_kind = auth
        self.timeout = timeout
        credentials = None
        if user is not None:
            credentials = httpx.DigestAuth(user, password) if auth == "digest" else httpx.BasicAuth(user, password)
        self._http = httpx.Client(auth=credentials, follow_redirects=False, trust_env=False, verify=_tls(),
                                  timeout=httpx.Timeout(timeout), headers={"User-Agent": "peelkg"})
        self._probed: set[tuple] = set()

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def scrub(self, text: str) -> str:
        return text.replace(self._password, "***") if self._password else text

    def fail(self, what: str, detail: str, status: int | None = None, *, no_answer: bool = False,
             unsent: bool = False) -> RemoteError:
        return RemoteError(self.scrub(f"{what} failed: {detail}"), status=status, no_answer=no_answer, unsent=unsent)

    def request(self, method: str, url: str, *, what: str, content: bytes | None = None,
                data: Mapping[str, str] | None = None, headers: Mapping[str, str] | None = None,
                retry: bool = True) -> httpx.Response:
        """Send one request and return its 2xx response; anything else is a RemoteError that
        says what was being done. ``retry``: the request may be sent again after its connection
        broke before an answer (only for requests that are safe to repeat)."""
        if origin(url) not in self._origins:
            raise self.fail(what, f"{redact(url)} is not one of the endpoints given; peelkg only "
                                  "sends requests to the URLs you name.")
        if content is not None or data is not None:
            self._probe(url)
        for attempt in (1, 2):
            try:
                response = self._http.request(method, url, content=content, data=data, headers=headers)
                break
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                raise self.fail(what, f"cannot connect to {redact(url)}: {exc}", unsent=True) from None
            except httpx.TimeoutException:
                raise self.fail(what, f"no answer from {redact(url)} within {self.timeout:g} s "
                                      "(raise --timeout if the store is just slow)", no_answer=True) from None
            except (httpx.WriteError, httpx.RemoteProtocolError) as exc:
                if attempt == 1 and retry:
                    self._probed.discard(self._path_key(url))
                    self._probe(url)
                    continue
                raise self.fail(what, f"the connection to {redact(url)} broke: {exc}", no_answer=True) from None
            except httpx.HTTPError as exc:
                raise self.fail(what, f"cannot reach {redact(url)}: {exc}", no_answer=True) from None
        return self._check(response, url, what)

    def _check(self, response: httpx.Response, url: str, what: str) -> httpx.Response:
        if response.is_success:
            return response
        if response.is_redirect:
            target = redact(response.headers.get("location", "(no Location header)"))
            raise self.fail(what, f"{redact(url)} answered {response.status_code} redirecting to {target}; "
                                  "peelkg follows no redirects, so credentials go only to the URL you name: "
                                  "give the final URL if you trust it.", response.status_code)
        if response.status_code == 401:
            asked = response.headers.get("www-authenticate", "").split(" ", 1)[0].lower()
            if self.user is None:
                hint = "the store needs credentials: set PEELKG_USER and PEELKG_PASSWORD"
            elif asked in ("basic", "digest") and asked != self.auth_kind:
                hint = f"the store asks for {asked} authentication: use --auth {asked}"
            else:
                hint = "check PEELKG_USER and PEELKG_PASSWORD"
            raise self.fail(what, f"HTTP 401 Unauthorized from {redact(url)} ({hint})", 401)
        raise self.fail(what, f"HTTP {response.status_code} {response.reason_phrase} from {redact(url)}: "
                              f"{excerpt(response.content)}", response.status_code)

    @staticmethod
    def _path_key(url: str) -> tuple:
        return (*origin(url), urllib.parse.urlsplit(url).path)

    def _probe(self, url: str) -> None:
        """Fetch the digest challenge for ``url``'s path once (see the class docstring)."""
        key = self._path_key(url)
        if self.user is None or self.auth_kind != "digest" or key in self._probed:
            return
        self._probed.add(key)
        try:
            self._http.get(url.split("?", 1)[0]).read()
        except httpx.HTTPError:
            pass  # the real request reports the problem
