"""Real-client test harness for EntityHub.

Starts the server binary once per session (``ENTITYHUB_BIN``, default ``.build/debug/entityhub``
relative to the repository root) on a free loopback port with a fresh data directory and
``Tests/client/schema.json``, waits for ``GET /health`` and stops it with SIGTERM at the end
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
SCHEMA = HERE / 'schema.json'
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


@pytest.fixture(scope='session')
def server():
    """Base URL (``http://127.0.0.1:PORT``) of a running EntityHub."""
    global _server_log_path
    binary = _binary()
    if not binary.exists():
        pytest.fail(f'EntityHub binary not found at {binary} (set ENTITYHUB_BIN)', pytrace=False)
    workdir = Path(tempfile.mkdtemp(prefix='entityhub-client-'))
    data_dir = workdir / 'data'
    data_dir.mkdir()
    _server_log_path = workdir / 'server.log'
    port = _free_port()
    base = f'http://127.0.0.1:{port}'
    command = [
        str(binary), 'serve',
        '--host', '127.0.0.1',
        '--port', str(port),
        '--data', str(data_dir),
        '--schema', str(SCHEMA),
    ]
    log_file = open(_server_log_path, 'wb')
    process = subprocess.Popen(
        command, stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=REPO_ROOT,
    )
    deadline = time.monotonic() + STARTUP_TIMEOUT
    ready = False
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            response = requests.get(f'{base}/health', timeout=2)
            if response.status_code == 200:
                ready = True
                break
        except requests.RequestException:
            pass
        time.sleep(0.2)
    if not ready:
        if process.poll() is None:
            process.kill()
            process.wait()
        log_file.close()
        pytest.fail(
            f'EntityHub did not become healthy within {STARTUP_TIMEOUT:.0f}s '
            f'(exit code {process.returncode}); command: {" ".join(command)}\n'
            f'--- server log tail ---\n{log_tail()}',
            pytrace=False,
        )

    yield base

    process.send_signal(signal.SIGTERM)
    try:
        code = process.wait(timeout=SHUTDOWN_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        log_file.close()
        pytest.fail(
            f'EntityHub did not exit within {SHUTDOWN_TIMEOUT:.0f}s of SIGTERM\n'
            f'--- server log tail ---\n{log_tail()}',
            pytrace=False,
        )
    log_file.close()
    if code != 0:
        pytest.fail(
            f'EntityHub exited with {code} after SIGTERM (expected 0)\n'
            f'--- server log tail ---\n{log_tail()}',
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
