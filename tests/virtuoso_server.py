"""Start a throwaway Virtuoso Open Source server for tests.

``VirtuosoServer`` runs ``virtuoso-t +foreground`` on 127.0.0.1 with a fresh
database in a temporary directory and a generated ``virtuoso.ini`` (free ports
for both the SQL and the HTTP listener), waits for the SPARQL endpoint to
answer, and removes everything again on ``stop()``.

Install Virtuoso with ``.ci/install-virtuoso`` (Debian package
``virtuoso-opensource-7``: server ``virtuoso-t``, SQL client ``isql-vt``).

Endpoints of the running server:

* ``sparql_url``  -- ``/sparql``, anonymous, read-only.
* ``update_url``  -- ``/sparql-auth``, digest auth, SPARQL 1.1 Query + Update.
* ``gsp_url``     -- ``/sparql-graph-crud-auth``, digest auth, SPARQL 1.1
  Graph Store HTTP Protocol (``?graph=IRI``).

No grants are needed for ``dba`` (it is a superuser): in a fresh database it
can already write through both ``-auth`` endpoints, while the anonymous
``SPARQL`` user stays read-only.  Other users need ``GRANT SPARQL_UPDATE``
(see ``create_user``).  The ``-auth`` endpoints accept digest only (basic
auth gets 401).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

VIRTUOSO_BIN = "virtuoso-t"
ISQL_BIN = "isql-vt"

# The dba account of a freshly created Virtuoso database has password "dba".
# The database is throwaway and only listens on loopback, so keep it.
DBA_USER = "dba"
DBA_PASSWORD = "dba"

def virtuoso_available() -> bool:
    """Whether the Virtuoso server binary is on PATH."""
    return shutil.which(VIRTUOSO_BIN) is not None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_INI_TEMPLATE = """\
[Database]
DatabaseFile       = {db}/virtuoso.db
ErrorLogFile       = {db}/virtuoso.log
LockFile           = {db}/virtuoso.lck
TransactionFile    = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {db}/virtuoso-temp.db
TransactionFile    = {db}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort               = 127.0.0.1:{sql_port}
LiteMode                 = 0
DisableUnixSocket        = 1
DisableTcpSocket         = 0
MaxClientConnections     = 10
CheckpointInterval       = 0
O_DIRECT                 = 0
CaseMode                 = 2
MaxStaticCursorRows      = 5000
CheckpointAuditTrail     = 0
AllowOSCalls             = 0
SchedulerInterval        = 10
DirsAllowed              = ., {db}
ThreadCleanupInterval    = 0
ThreadThreshold          = 10
ResourcesCleanupInterval = 0
FreeTextBatchSize        = 100000
SingleCPU                = 0
PrefixResultNames        = 0
RdfFreeTextRulesSize     = 100
IndexTreeMaps            = 64
MaxMemPoolSize           = 40000000
MaxQueryMem              = 256M
VectorSize               = 1000
MaxVectorSize            = 1000000
AdjustVectorSize         = 0
ThreadsPerQuery          = 1
AsyncQueueMaxThreads     = 2
NumberOfBuffers          = 10000
MaxDirtyBuffers          = 6000

[HTTPServer]
ServerPort                  = 127.0.0.1:{http_port}
ServerRoot                  = {root}
MaxClientConnections        = 5
DavRoot                     = DAV
EnabledDavVSP               = 0
HTTPProxyEnabled            = 0
TempASPXDir                 = 0
ServerThreads               = 5
MaxKeepAlives               = 5
KeepAliveTimeout            = 10
MaxCachedProxyConnections   = 5
ProxyConnectionCacheTimeout = 15
HTTPThreadSize              = 280000
HttpPrintWarningsInOutput   = 0
Charset                     = UTF-8
EnabledGzipContent          = 0

[Client]
SQL_PREFETCH_ROWS  = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT  = 0
SQL_TXN_TIMEOUT    = 0

[URIQA]
DynamicLocal = 0
DefaultHost  = 127.0.0.1:{http_port}

[SPARQL]
ResultSetMaxRows           = 100000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime      = 60
DeferInferenceRulesInit    = 0
"""


class VirtuosoError(RuntimeError):
    """The test Virtuoso server failed to start or a command failed."""


class VirtuosoServer:
    """A throwaway Virtuoso server on loopback; use as a context manager or
    call ``start()`` / ``stop()``."""

    def __init__(self, *, startup_timeout: float = 60.0) -> None:
        self.startup_timeout = startup_timeout
        self.user = DBA_USER
        self.password = DBA_PASSWORD
        self.host = "127.0.0.1"
        self.sql_port: int | None = None
        self.http_port: int | None = None
        self.tmpdir: Path | None = None
        self._proc: subprocess.Popen | None = None
        self._stdout = None

    # -- URLs -------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.http_port}"

    @property
    def sparql_url(self) -> str:
        return f"{self.base_url}/sparql"

    @property
    def update_url(self) -> str:
        return f"{self.base_url}/sparql-auth"

    @property
    def gsp_url(self) -> str:
        return f"{self.base_url}/sparql-graph-crud-auth"

    @property
    def log_path(self) -> Path:
        assert self.tmpdir is not None
        return self.tmpdir / "db" / "virtuoso.log"

    # -- lifecycle --------------------------------------------------------
    def __enter__(self) -> "VirtuosoServer":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> "VirtuosoServer":
        if self._proc is not None:
            raise VirtuosoError("server already started")
        binary = shutil.which(VIRTUOSO_BIN)
        if binary is None:
            raise VirtuosoError(
                f"{VIRTUOSO_BIN} not found on PATH: run .ci/install-virtuoso"
            )
        self.tmpdir = Path(tempfile.mkdtemp(prefix="peelkg-virtuoso-"))
        try:
            self._launch(binary)
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _launch(self, binary: str) -> None:
        assert self.tmpdir is not None
        db = self.tmpdir / "db"
        root = self.tmpdir / "vsp"
        db.mkdir()
        root.mkdir()
        self.sql_port = _free_port()
        self.http_port = _free_port()
        while self.http_port == self.sql_port:
            self.http_port = _free_port()
        ini = self.tmpdir / "virtuoso.ini"
        ini.write_text(
            _INI_TEMPLATE.format(
                db=db, root=root, sql_port=self.sql_port, http_port=self.http_port
            ),
            encoding="utf-8",
        )
        self._stdout = open(self.tmpdir / "stdout.log", "wb")
        self._proc = subprocess.Popen(
            [binary, "+foreground", "+configfile", str(ini)],
            cwd=db,
            stdin=subprocess.DEVNULL,
            stdout=self._stdout,
            stderr=subprocess.STDOUT,
        )

    def _wait_ready(self) -> None:
        assert self._proc is not None
        deadline = time.monotonic() + self.startup_timeout
        url = self.sparql_url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
        last_error: Exception | None = None
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise VirtuosoError(
                    f"virtuoso-t exited with code {self._proc.returncode} "
                    f"during startup\n{self.log_tail()}"
                )
            try:
                req = urllib.request.Request(
                    url, headers={"Accept": "application/sparql-results+json"}
                )
                with urllib.request.urlopen(req, timeout=5) as resp:
                    if resp.status == 200:
                        resp.read()
                        return
            except (urllib.error.URLError, OSError) as e:
                last_error = e
            time.sleep(0.5)
        raise VirtuosoError(
            f"Virtuoso SPARQL endpoint {self.sparql_url} did not answer within "
            f"{self.startup_timeout:.0f} s (last error: {last_error!r})\n"
            f"{self.log_tail()}"
        )

    def log_tail(self, lines: int = 40) -> str:
        """The last lines of the server's log and stdout, for error messages."""
        out = []
        if self.tmpdir is None:
            return ""
        for path in (self.log_path, self.tmpdir / "stdout.log"):
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            tail = "\n".join(text.splitlines()[-lines:])
            out.append(f"--- {path.name} (tail) ---\n{tail}")
        return "\n".join(out)

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        if self._stdout is not None:
            self._stdout.close()
            self._stdout = None
        if self.tmpdir is not None:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
            self.tmpdir = None

    # -- SQL --------------------------------------------------------------
    def create_user(self, name: str, password: str) -> None:
        """Create a SQL user that may read and write through the -auth
        endpoints (SPARQL_UPDATE includes SPARQL_SELECT).  Name and password
        must be simple tokens (they are put into SQL text)."""
        for value in (name, password):
            if not value or not all(c.isalnum() or c in "_-." for c in value):
                raise ValueError(f"unsafe user name or password: {value!r}")
        self.isql(f"DB.DBA.USER_CREATE ('{name}', '{password}')")
        self.isql(f'GRANT SPARQL_UPDATE TO "{name}"')

    def isql(self, sql: str, *, timeout: float = 60.0) -> str:
        """Run one SQL statement (or several, separated by ';') through
        ``isql-vt`` as dba and return its output.  Raises VirtuosoError if
        isql reports an error."""
        if self._proc is None:
            raise VirtuosoError("server not running")
        isql = shutil.which(ISQL_BIN)
        if isql is None:
            raise VirtuosoError(f"{ISQL_BIN} not found on PATH")
        script = sql.rstrip().rstrip(";") + ";\n"
        res = subprocess.run(
            [isql, f"{self.host}:{self.sql_port}", self.user, self.password,
             "VERBOSE=OFF", "BANNER=OFF", "PROMPT=OFF", "ECHO=OFF",
             "ERRORS=STDOUT"],
            input=script,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        output = res.stdout + res.stderr
        if res.returncode != 0 or "*** Error" in output:
            raise VirtuosoError(f"isql failed for {sql!r}:\n{output}")
        return output
