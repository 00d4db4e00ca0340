"""The unmodified ae-oaio-client over HTTPS: `entityhub serve --tls-cert FILE --tls-key FILE`.

The client sends plain HTTP only to hosts that start with ``localhost`` or ``127.0.0.1`` and forces HTTPS
for every other one, so the server listens on ``127.0.0.2`` (loopback too) with a self-signed certificate
for that address, and ``requests`` trusts it through ``REQUESTS_CA_BUNDLE``. Run with the oaio venv, like
test_oaio_client.py.
"""

import os
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import requests
from ae.oaio_client import OaioClient

from conftest import ADMIN_KEY, _binary, _free_port, fresh_storage, require_binary

HOST = '127.0.0.2'


@pytest.fixture
def https_server(backend, tmp_path):
    """`(base URL, certificate path)` of an EntityHub serving HTTPS on 127.0.0.2 over `backend`."""
    require_binary()
    cert, key = tmp_path / 'cert.pem', tmp_path / 'key.pem'
    subprocess.run(
        ['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', str(key), '-out', str(cert),
         '-days', '2', '-subj', f'/CN={HOST}', '-addext', f'subjectAltName=IP:{HOST}'],
        check=True, capture_output=True,
    )
    port = _free_port()
    with fresh_storage(backend, tmp_path) as storage:
        command = [str(_binary()), 'serve', '--host', HOST, '--port', str(port), '--data', str(storage.data_dir),
                   '--bcrypt-cost', '4', '--tls-cert', str(cert), '--tls-key', str(key)]
        if storage.database_url:
            command += ['--database', storage.database_url]
        environment = {k: v for k, v in os.environ.items() if k != 'ENTITYHUB_DATABASE_URL'}
        environment['ENTITYHUB_ADMIN_KEY'] = ADMIN_KEY
        log = open(tmp_path / 'server.log', 'wb')
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=environment)
        base = f'https://{HOST}:{port}'
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    if requests.get(base + '/health', verify=str(cert), timeout=2).ok:
                        break
                except requests.RequestException:
                    pass
                assert process.poll() is None and time.monotonic() < deadline, (tmp_path / 'server.log').read_text()
                time.sleep(0.2)
            yield base, cert
        finally:
            process.terminate()
            assert process.wait(timeout=15) == 0
            log.close()


def test_the_unmodified_client_syncs_over_https(https_server, tmp_path, monkeypatch):
    base, cert = https_server
    made = requests.post(base + '/api/v1/_admin/users', json={'name': 'tina', 'password': 'tina-pw'},
                         headers={'Authorization': 'ApiKey ' + ADMIN_KEY}, verify=str(cert))
    assert made.status_code == 201, made.text
    monkeypatch.setenv('REQUESTS_CA_BUNDLE', str(cert))

    host = base.split('://', 1)[1]
    phone = OaioClient(host, {'username': 'tina', 'password': 'tina-pw'}, app_id='notes', device_id='phone',
                       client_root=str(tmp_path / 'phone'))
    assert phone.synchronize_with_server_if_online(), phone.error_message
    registered = phone.register_object({'title': 'over TLS'})
    assert registered is not None, phone.error_message

    tablet = OaioClient(host, {'username': 'tina', 'password': 'tina-pw'}, app_id='notes', device_id='tablet',
                        client_root=str(tmp_path / 'tablet'))
    assert tablet.synchronize_with_server_if_online(), tablet.error_message
    assert tablet.client_objectz[registered.oaio_id].client_values == {'title': 'over TLS'}

    primed = requests.get(base + '/api/login/', verify=str(cert))
    assert 'Secure' in primed.headers['Set-Cookie'], 'cookies over HTTPS are Secure'
    with pytest.raises(requests.RequestException):
        requests.get(base.replace('https://', 'http://') + '/health', timeout=5)
