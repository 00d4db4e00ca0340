"""Real-client test harness for EntityHub.

Starts the server binary once per session (``ENTITYHUB_BIN``, default ``.build/debug/entityhub``
relative to the repository root) on a free loopback port with a fresh data directory and
``Tests/Fixtures/schema.json``, waits for ``GET /health`` and stops it with SIGTERM at the end
(asserting a clean exit 0 within 15 s).
"""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest
import requests
from connect.client import AsyncConnectClient, ConnectClient

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
SCHEMA = HERE.parent / 'Fixtures' / 'schema.json'
API_KEY = 'ApiKey SU-000:test'
STARTUP_TIMEOUT = 30.0
SHUTDOWN_TIMEOUT = 15.0

_server_log_path = None


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def log_tail(lines=80):
    """The last lines of the server's stdout/stderr capture (empty if none yet)."""
    if _server_log_path is None or not _server_log_path.exists():
        return ''
    text = _server_log_path.read_text(errors='replace')
    return '\n'.join(text.splitlines()[-lines:])


def _binary():
    value = os.environ.get('ENTITYHUB_BIN', '.build/debug/entityhub')
    path = Path(value)
    if not path.is_absolute():
        path = REPO_ROOT / path
    return path


class ServerProcess:
    """One running EntityHub: its process, base URL and captured output."""

    def __init__(self, data_dir, log_path, port=None):
        self.data_dir = Path(data_dir)
        self.log_path = Path(log_path)
        self.port = port or _free_port()
        self.base = f'http://127.0.0.1:{self.port}'
        self.command = [
            str(_binary()), 'serve',
            '--host', '127.0.0.1',
            '--port', str(self.port),
            '--data', str(self.data_dir),
            '--schema', str(SCHEMA),
        ]
        self._log = open(self.log_path, 'ab')
        self.process = subprocess.Popen(
            self.command, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=REPO_ROOT,
        )

    def tail(self, lines=80):
        text = self.log_path.read_text(errors='replace') if self.log_path.exists() else ''
        return '\n'.join(text.splitlines()[-lines:])

    def wait_healthy(self, timeout=STARTUP_TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if requests.get(f'{self.base}/health', timeout=2).status_code == 200:
                    return
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


@pytest.fixture(scope='session')
def server():
    """Base URL (``http://127.0.0.1:PORT``) of a running EntityHub."""
    global _server_log_path
    require_binary()
    workdir = Path(tempfile.mkdtemp(prefix='entityhub-client-'))
    data_dir = workdir / 'data'
    data_dir.mkdir()
    _server_log_path = workdir / 'server.log'
    instance = ServerProcess(data_dir, _server_log_path)
    instance.wait_healthy()

    yield instance.base

    code = instance.terminate()
    if code != 0:
        pytest.fail(
            f'EntityHub exited with {code} after SIGTERM (expected 0)\n'
            f'--- server log tail ---\n{instance.tail()}',
            pytrace=False,
        )
    if os.environ.get('ENTITYHUB_KEEP_DATA') is None:
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope='session')
def base_url(server):
    return server


@pytest.fixture(scope='session')
def endpoint(server):
    return f'{server}/api/v1'


@pytest.fixture
def client(endpoint):
    return ConnectClient(API_KEY, endpoint=endpoint, max_retries=0)


@pytest.fixture
def async_client(endpoint):
    return AsyncConnectClient(API_KEY, endpoint=endpoint, max_retries=0)


@pytest.fixture
def tag():
    """A value unique to one test, stored in a `tag` field to isolate its data."""
    return 'tg' + uuid.uuid4().hex[:16]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        tail = log_tail(40)
        if tail:
            report.sections.append(('entityhub server log (tail)', tail))
