"""Real-client test harness for EntityHub.

Every test that uses the session server runs once per storage backend (test ids end in ``[sqlite]``
or ``[postgres]``): the ``backend`` fixture is parameterized, and ``server`` starts the server binary
(``ENTITYHUB_BIN``, default ``.build/release/entityhub`` relative to the repository root) once per
backend on a free loopback port with ``Tests/Fixtures/schema.json`` — on a fresh data directory
(embedded SQLite) or on a fresh PostgreSQL database created for it on the server that
``ENTITYHUB_TEST_DATABASE_URL`` points at (``scripts/with-test-postgres`` sets it up) — waits for
``GET /health``, and stops it with SIGTERM at the end (asserting a clean exit 0 within 15 s) before
the database is dropped. Without ``ENTITYHUB_TEST_DATABASE_URL`` the PostgreSQL tests fail; they are
never skipped.

Every request is authenticated: each server starts with ``ENTITYHUB_ADMIN_KEY=SU-000:test`` (so
``API_KEY`` is an admin key; a test may start one with ``admin_key=None`` to see the one-time
bootstrap key instead) and ``--bcrypt-cost 4`` (fast password hashing). Raw HTTP calls send the admin
``Authorization`` header through ``clienthelpers.admin_headers``/``admin_http``; a request without it
is anonymous, which only tests about anonymous callers do on purpose.
"""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests

try:
    from connect.client import AsyncConnectClient, ConnectClient
except ImportError:  # .build/ngsild-venv (test_ngsildclient.py): ngsildclient's httpx pin excludes the Connect client
    AsyncConnectClient = ConnectClient = None

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
SCHEMA = HERE.parent / 'Fixtures' / 'schema.json'
# The admin key every test server is started with (ENTITYHUB_ADMIN_KEY), and its Authorization value.
ADMIN_KEY = 'SU-000:test'
API_KEY = 'ApiKey ' + ADMIN_KEY
# bcrypt cost of the test servers' password hashes (the smallest: logins stay fast).
BCRYPT_COST = 4
STARTUP_TIMEOUT = 30.0
SHUTDOWN_TIMEOUT = 15.0
BACKENDS = ('sqlite', 'postgres')

# The running session servers by backend (the report hook shows the right log; the database
# restart test checks that they recover).
session_servers = {}
# Every ServerProcess started so far, in order (the report hook shows those a failing test started).
started_processes = []


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def log_tail(lines=80, backend=None):
    """The last lines of a session server's stdout/stderr capture (empty if none yet)."""
    candidates = [session_servers[backend]] if backend in session_servers else list(session_servers.values())
    return '\n\n'.join(instance.tail(lines) for instance in candidates if instance.log_path.exists())


def _binary():
    value = os.environ.get('ENTITYHUB_BIN', '.build/release/entityhub')
    path = Path(value)
    if not path.is_absolute():
        path = REPO_ROOT / path
    return path


# --- PostgreSQL ------------------------------------------------------------------------------


class PostgresServer:
    """The PostgreSQL test server of ``scripts/with-test-postgres``: fresh databases, psql, stop/start."""

    def __init__(self):
        self.url = os.environ.get('ENTITYHUB_TEST_DATABASE_URL')
        if not self.url:
            pytest.fail(
                'ENTITYHUB_TEST_DATABASE_URL is not set: the PostgreSQL tests need a PostgreSQL server. '
                'Run the suite under scripts/with-test-postgres, e.g. '
                'ENTITYHUB_BIN=.build/release/entityhub scripts/with-test-postgres '
                '.build/client-venv/bin/python -m pytest Tests/client',
                pytrace=False,
            )
        bin_dir = os.environ.get('ENTITYHUB_TEST_PG_BIN')
        self.psql_binary = str(Path(bin_dir) / 'psql') if bin_dir else (shutil.which('psql') or 'psql')
        self.control = os.environ.get('ENTITYHUB_TEST_PG_CONTROL')

    def database_url(self, name):
        parts = urlsplit(self.url)
        return urlunsplit((parts.scheme, parts.netloc, '/' + name, parts.query, parts.fragment))

    def psql(self, sql, database_url=None, timeout=60):
        """Runs SQL with psql (unaligned, tuples only, fields split by '|'); returns the output rows."""
        result = subprocess.run(
            [self.psql_binary, database_url or self.url, '-X', '-v', 'ON_ERROR_STOP=1', '-A', '-t', '-q',
             '-F', '|', '-c', sql],
            capture_output=True, text=True, timeout=timeout,
        )
        if result.returncode != 0:
            pytest.fail(f'psql failed ({result.returncode}) on {sql!r}: {result.stderr.strip()}', pytrace=False)
        return [line.split('|') for line in result.stdout.splitlines() if line]

    def create_database(self):
        """A new, empty database with a unique name; returns (name, url)."""
        name = 'entityhub_test_' + uuid.uuid4().hex[:16]
        self.psql(f'CREATE DATABASE "{name}"')
        return name, self.database_url(name)

    def drop_database(self, name):
        self.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    @contextmanager
    def fresh_database(self):
        name, url = self.create_database()
        try:
            yield url
        finally:
            if os.environ.get('ENTITYHUB_KEEP_DATA') is None:
                self.drop_database(name)

    def is_up(self):
        result = subprocess.run([self.psql_binary, self.url, '-X', '-A', '-t', '-c', 'SELECT 1'],
                                capture_output=True, text=True, timeout=30)
        return result.returncode == 0

    def ensure_running(self):
        """Starts the cluster again unless it is already up (for `finally` blocks)."""
        if self.is_up():
            return
        self.run_control('start')
        assert self.is_up(), 'PostgreSQL did not come back after ENTITYHUB_TEST_PG_CONTROL start'

    def run_control(self, action, timeout=90):
        if not self.control:
            pytest.fail('ENTITYHUB_TEST_PG_CONTROL is not set (run under scripts/with-test-postgres)',
                        pytrace=False)
        result = subprocess.run([self.control, action], capture_output=True, text=True, timeout=timeout)
        assert result.returncode == 0, f'{self.control} {action} failed: {result.stderr}'


@pytest.fixture(scope='session')
def postgres():
    """The PostgreSQL test server (fails, never skips, when ENTITYHUB_TEST_DATABASE_URL is unset)."""
    return PostgresServer()


# --- EntityHub processes ---------------------------------------------------------------------


class Storage:
    """Where one EntityHub keeps its data: a data folder (SQLite) or a PostgreSQL database."""

    def __init__(self, backend, data_dir, database_url=None):
        self.backend = backend
        self.data_dir = Path(data_dir)
        self.database_url = database_url

    def start(self, log_path, **kwargs):
        """A new ServerProcess on this storage (not yet waited for)."""
        return ServerProcess(self.data_dir, log_path, database=self.database_url, **kwargs)


@contextmanager
def fresh_storage(backend, workdir):
    """A fresh Storage for `backend` under `workdir` (a PostgreSQL database is dropped afterwards)."""
    data_dir = Path(workdir) / 'data'
    data_dir.mkdir(parents=True, exist_ok=True)
    if backend == 'sqlite':
        yield Storage(backend, data_dir)
    elif backend == 'postgres':
        with PostgresServer().fresh_database() as url:
            yield Storage(backend, data_dir, url)
    else:  # pragma: no cover
        raise ValueError(f'unknown backend {backend!r}')


class ServerProcess:
    """One running EntityHub: its process, base URL and captured output.

    With `database` (a postgres:// URL) it serves that PostgreSQL database instead of the SQLite
    store in `data_dir`; `extra_args` are added to the `serve` command line (a `--bcrypt-cost` there
    replaces the default 4). `admin_key` is the ``ENTITYHUB_ADMIN_KEY`` it is started with (``None``:
    none, so a store without users gets a new admin key printed once on stdout); `env` adds to or
    overrides its environment.
    """

    def __init__(self, data_dir, log_path, port=None, database=None, extra_args=(), admin_key=ADMIN_KEY,
                 env=None):
        self.data_dir = Path(data_dir)
        self.log_path = Path(log_path)
        self.port = port or _free_port()
        self.base = f'http://127.0.0.1:{self.port}'
        self.database = database
        self.command = [
            str(_binary()), 'serve',
            '--host', '127.0.0.1',
            '--port', str(self.port),
            '--data', str(self.data_dir),
            '--schema', str(SCHEMA),
        ]
        if database:
            self.command += ['--database', database]
        extra_args = list(extra_args)
        if not any(arg == '--bcrypt-cost' or arg.startswith('--bcrypt-cost=') for arg in extra_args):
            self.command += ['--bcrypt-cost', str(BCRYPT_COST)]
        self.command += extra_args
        self.admin_key = admin_key
        environment = {k: v for k, v in os.environ.items()
                       if k not in ('ENTITYHUB_DATABASE_URL', 'ENTITYHUB_ADMIN_KEY')}
        if admin_key is not None:
            environment['ENTITYHUB_ADMIN_KEY'] = admin_key
        environment.update(env or {})
        self._log = open(self.log_path, 'ab')
        started_processes.append(self)
        self.process = subprocess.Popen(
            self.command, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=REPO_ROOT,
            env=environment,
        )

    @property
    def endpoint(self):
        return f'{self.base}/api/v1'

    def tail(self, lines=80):
        text = self.log_path.read_text(errors='replace') if self.log_path.exists() else ''
        return '\n'.join(text.splitlines()[-lines:])

    def log_text(self):
        """Everything the process wrote so far (stdout and stderr; the log file is shared by restarts)."""
        return self.log_path.read_text(errors='replace') if self.log_path.exists() else ''

    def wait_healthy(self, timeout=STARTUP_TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                # anonymous on purpose: /health answers anyone (load balancers)
                if requests.get(f'{self.base}/health', timeout=2).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.2)
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._log.close()
        pytest.fail(
            f'EntityHub did not become healthy within {timeout:.0f}s '
            f'(exit code {self.process.returncode}); command: {" ".join(self.command)}\n'
            f'--- server log tail ---\n{self.tail()}',
            pytrace=False,
        )

    def terminate(self, timeout=SHUTDOWN_TIMEOUT):
        """SIGTERM, then the exit code (fails the test if it does not exit in time)."""
        if self.process.poll() is not None:
            self._log.close()
            return self.process.returncode
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            self._log.close()
            pytest.fail(
                f'EntityHub did not exit within {timeout:.0f}s of SIGTERM\n'
                f'--- server log tail ---\n{self.tail()}',
                pytrace=False,
            )
        self._log.close()
        return code

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._log.close()


def require_binary():
    binary = _binary()
    if not binary.exists():
        pytest.fail(f'EntityHub binary not found at {binary} (set ENTITYHUB_BIN)', pytrace=False)


def stop_cleanly(instance):
    code = instance.terminate()
    if code != 0:
        pytest.fail(
            f'EntityHub exited with {code} after SIGTERM (expected 0)\n'
            f'--- server log tail ---\n{instance.tail()}',
            pytrace=False,
        )


# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture(scope='session', params=BACKENDS)
def backend(request):
    """The storage backend under test: 'sqlite' or 'postgres' (every dependent test runs on both)."""
    if request.param == 'postgres':
        PostgresServer()  # fails early and clearly without ENTITYHUB_TEST_DATABASE_URL
    return request.param


@pytest.fixture
def storage(backend, tmp_path):
    """A fresh Storage of the test's backend, for tests that start their own servers."""
    require_binary()
    with fresh_storage(backend, tmp_path) as value:
        yield value


@pytest.fixture(scope='session')
def server(backend):
    """Base URL (``http://127.0.0.1:PORT``) of a running EntityHub on `backend`."""
    require_binary()
    workdir = Path(tempfile.mkdtemp(prefix=f'entityhub-client-{backend}-'))
    try:
        with fresh_storage(backend, workdir) as store:
            instance = store.start(workdir / 'server.log').wait_healthy()
            session_servers[backend] = instance
            try:
                yield instance.base
            finally:
                session_servers.pop(backend, None)
                stop_cleanly(instance)
    finally:
        if os.environ.get('ENTITYHUB_KEEP_DATA') is None:
            shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope='session')
def base_url(server):
    return server


@pytest.fixture(scope='session')
def endpoint(server):
    return f'{server}/api/v1'


def _require_connect_client():
    if ConnectClient is None:
        pytest.fail('connect-openapi-client is not installed here: run the Connect suites in .build/client-venv '
                    '(Tests/client/requirements.txt)', pytrace=False)


@pytest.fixture
def client(endpoint):
    _require_connect_client()
    return ConnectClient(API_KEY, endpoint=endpoint, max_retries=0)


@pytest.fixture
def async_client(endpoint):
    _require_connect_client()
    return AsyncConnectClient(API_KEY, endpoint=endpoint, max_retries=0)


@pytest.fixture
def tag():
    """A value unique to one test, stored in a `tag` field to isolate its data."""
    return 'tg' + uuid.uuid4().hex[:16]


_first_process = pytest.StashKey[int]()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    item.stash[_first_process] = len(started_processes)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        own = started_processes[item.stash.get(_first_process, len(started_processes)):]
        for instance in own:
            if instance.log_path.exists():
                report.sections.append((f'entityhub log {instance.log_path.name} (port {instance.port}, tail)',
                                        instance.tail(40)))
        callspec = getattr(item, 'callspec', None)
        tail = log_tail(40, backend=callspec.params.get('backend') if callspec else None)
        if tail and not own:
            report.sections.append(('entityhub server log (tail)', tail))
