"""Helpers of the oaio real-client suite (test_oaio_client.py, venv .build/oaio-venv).

- ``LocalApi``: the test-only attachment store of the oaio protocol reference (§5.4), registered with
  ``ae.cloud_storage`` as csh id ``"Local"`` simply by being defined (``CshApiBase.__init_subclass__``):
  EntityHub answers ``GET /api/csh_args/Local`` with ``{"base_url": "http://127.0.0.1:PORT/csh/",
  "token": "..."}``, the client builds ``LocalApi(**that)`` and puts, gets and deletes files at
  ``/csh/<oaio_id>/<stamp>/<relative path>`` (percent-encoded UTF-8) with ``Authorization: Bearer <token>``.
  This module must be imported before a client syncs an object with files.
- ``make_client``: an unmodified ``OaioClient`` for one simulated device.
- ``OaioSession``: raw HTTP against the oaio routes as the client sends it (CSRF cookie and header, the
  bytes-literal ``X-OAIO-*`` headers), for what the client cannot do (bad input, retries, logout).
- Users with passwords (and admins) through EntityHub's admin API, and ``/api/v1`` calls as a user.

Not importable from the Connect venv's modules on purpose: nothing here imports ``clienthelpers``
(which needs ``connect.client``), only ``conftest``.
"""

import socket
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import requests
from ae.cloud_storage import CshApiBase
from ae.oaio_client import OaioClient
from ae.oaio_model import context_encode

from conftest import API_KEY

APP_ID = 'notes'
TIMEOUT = 30
# The keys of an OaiObject, the exact shape of every object on the wire (reference §2.1).
OAIO_KEYS = frozenset({'oaio_id', 'client_stamp', 'server_stamp', 'client_values', 'server_values', 'csh_id',
                       'username', 'device_id', 'app_id', 'csh_access_right'})


# --- the test storage host ("Local") ---------------------------------------------------------


class LocalApi(CshApiBase):
    """Attachment storage on EntityHub's ``/csh/`` routes; csh id ``"Local"`` (the class name minus ``Api``)."""

    def __init__(self, base_url: str = '', token: str = '', **rest):
        super().__init__(**rest)  # the base class asserts that no unknown kwargs are left
        self.base = base_url.rstrip('/') + '/'
        self.headers = {'Authorization': f'Bearer {token}'} if token else {}

    def _url(self, remote_path: str) -> str:
        return self.base + quote(remote_path)  # oaio ids are non-ASCII: percent-encoded UTF-8, '/' kept

    def deploy_file(self, file_path: str, source_path: str = '') -> str:
        with open(source_path or file_path, 'rb') as source:
            response = requests.put(self._url(file_path), data=source.read(), headers=self.headers, timeout=TIMEOUT)
        if response.ok:
            return file_path
        self.error_message = f'upload of {file_path} failed: HTTP {response.status_code} {response.text[:200]}'
        return ''

    def deployed_file_content(self, file_path: str):
        response = requests.get(self._url(file_path), headers=self.headers, timeout=TIMEOUT)
        if response.ok:
            return response.content
        self.error_message = f'download of {file_path} failed: HTTP {response.status_code} {response.text[:200]}'
        return None

    def delete_file_or_folder(self, file_path: str) -> str:
        response = requests.delete(self._url(file_path), headers=self.headers, timeout=TIMEOUT)
        return '' if response.ok else f'delete of {file_path} failed: HTTP {response.status_code}'


# --- clients ---------------------------------------------------------------------------------


def host_of(server):
    """``127.0.0.1:PORT`` of a base URL ``http://127.0.0.1:PORT`` (the client forces HTTPS for other hosts)."""
    return urlsplit(server).netloc


def closed_port():
    """A loopback port nobody listens on (bound and released at once): an unreachable oaio server."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def make_client(server, username, password, device, root):
    """An unmodified OaioClient of `username` on `device` with its local state under `root`.

    `server` is the base URL of an EntityHub (``http://127.0.0.1:PORT``) or a bare ``host:port``. The
    credentials dict is the client's own (``client.credentials``): the client masks its password in place
    after a failed login, so make a new client (or restore ``client.credentials['password']``) after one.
    """
    host = host_of(server) if '://' in server else server
    return OaioClient(host, {'username': username, 'password': password}, app_id=APP_ID, device_id=device,
                      csh_default_id='Local', client_root=str(root))


def offline_client(username, password, device, root):
    """A client of `root` whose server is unreachable (a closed loopback port)."""
    return make_client(f'127.0.0.1:{closed_port()}', username, password, device, root)


class offline:
    """``with offline(client):`` the client's server is unreachable (its base URL points at a closed
    port); afterwards the URL is restored and so is the password the client masked in place when its
    login failed meanwhile (the client bug of reference §4), so the next sync logs in again."""

    def __init__(self, client):
        self.client = client
        self.password = client.credentials['password']
        self.base_url = client.base_url

    def __enter__(self):
        self.client.base_url = f'http://127.0.0.1:{closed_port()}/api/'
        return self.client

    def __exit__(self, *exc):
        self.client.base_url = self.base_url
        self.client.credentials['password'] = self.password
        return False


def local_object(client, oaio_id):
    """The client's current local OaiObject (objects returned by register/update go stale at the next sync)."""
    return client.client_objectz[oaio_id]


def is_synced(obj):
    return obj.server_stamp == obj.client_stamp


def files_root(client, oaio_id):
    """Where a client keeps the files of an object without ``_root_path``."""
    return Path(client.client_root) / 'filez' / oaio_id


# --- raw oaio HTTP ---------------------------------------------------------------------------


def cookie(jar, name):
    """The value of cookie `name` in a requests jar (the last one set if several paths/domains hold it)."""
    value = None
    for item in jar:
        if item.name == name:
            value = item.value
    return value


class OaioSession:
    """The oaio routes over one ``requests.Session`` (cookie jar), sent the way the client sends them:
    bytes-literal ``X-OAIO-user/-dvc/-app`` headers on every request, and on POSTs ``X-CSRFToken`` equal to
    the ``csrftoken`` cookie (unless ``csrf=False``, or another value is given)."""

    def __init__(self, server, username, device='devRaw', app=APP_ID):
        self.server = server
        self.api = f'{server}/api/'
        self.username = username
        self.http = requests.Session()
        self.http.headers.update(context_encode(username, device, app))

    def csrf_token(self):
        return cookie(self.http.cookies, 'csrftoken')

    def session_id(self):
        return cookie(self.http.cookies, 'sessionid')

    def get(self, slug, **kwargs):
        kwargs.setdefault('timeout', TIMEOUT)
        return self.http.get(self.api + slug, **kwargs)

    def post(self, slug, json=None, csrf=True, headers=None, **kwargs):
        kwargs.setdefault('timeout', TIMEOUT)
        merged = dict(headers or {})
        if csrf is True:
            token = self.csrf_token()
            assert token, 'no csrftoken cookie yet: GET login/ first'
            merged.setdefault('X-CSRFToken', token)
        elif csrf:
            merged.setdefault('X-CSRFToken', csrf)
        return self.http.post(self.api + slug, json=json, headers=merged, **kwargs)

    def prime(self):
        """``GET login/`` anonymously: the CSRF cookie."""
        response = self.get('login/')
        assert response.status_code == 200, response.text[:300]
        assert self.csrf_token(), f'GET login/ set no csrftoken cookie: {response.headers}'
        return response

    def login(self, password):
        """CSRF priming and ``POST login/``; returns the login answer (asserted 200)."""
        self.prime()
        response = self.post('login/', json={'username': self.username, 'password': password})
        assert response.status_code == 200, response.text[:300]
        assert self.session_id(), f'POST login/ set no sessionid cookie: {response.headers}'
        return self

    def stampz(self):
        """``GET oaio_stampz/`` as {oaio_id: object dict}."""
        response = self.get('oaio_stampz/')
        assert response.status_code == 200, response.text[:300]
        listed = response.json()
        assert isinstance(listed, list), listed
        return {item['oaio_id']: item for item in listed}


def object_body(oaio_id, stamp, values, username, base_stamp='', base_values=None, device='devRaw',
                right='C', csh_id='Local'):
    """A full OaiObject dict as the client posts it to register/ (no base) or upload/ (with a base)."""
    return {
        'oaio_id': oaio_id,
        'client_stamp': stamp,
        'server_stamp': base_stamp,
        'client_values': values,
        'server_values': base_values if base_values is not None else {},
        'csh_id': csh_id,
        'username': username,
        'device_id': device,
        'app_id': APP_ID,
        'csh_access_right': right,
    }


# --- users and /api/v1 -----------------------------------------------------------------------


@dataclass(frozen=True)
class User:
    name: str
    password: str
    admin: bool = False


def admin_headers(headers=None):
    return {'Authorization': API_KEY, **(headers or {})}


def add_user(server, prefix, admin=False):
    """A new EntityHub user `prefix-<unique>` with the password ``<name>-pw`` (an admin with `admin`)."""
    name = f'{prefix}-{uuid.uuid4().hex[:8]}'
    user = User(name, f'{name}-pw', admin)
    body = {'name': name, 'password': user.password, 'role': 'admin' if admin else 'user'}
    response = requests.post(f'{server}/api/v1/_admin/users', json=body, headers=admin_headers(), timeout=TIMEOUT)
    assert response.status_code == 201, response.text[:300]
    return user


def user_names(server):
    """Every user of the server (admin API)."""
    response = requests.get(f'{server}/api/v1/_admin/users', headers=admin_headers(), timeout=TIMEOUT)
    assert response.status_code == 200, response.text[:300]
    return {user['name'] for user in response.json()}


class RestUser:
    """``/api/v1`` as one user: a bearer token from ``POST /api/v1/_auth/login`` (or the admin key)."""

    def __init__(self, server, user=None):
        self.endpoint = f'{server}/api/v1'
        if user is None:
            self.authorization = API_KEY
        else:
            response = requests.post(f'{self.endpoint}/_auth/login',
                                     json={'username': user.name, 'password': user.password}, timeout=TIMEOUT)
            assert response.status_code == 200, response.text[:300]
            self.authorization = 'Bearer ' + response.json()['token']

    def request(self, method, path, **kwargs):
        kwargs.setdefault('timeout', TIMEOUT)
        headers = {'Authorization': self.authorization, **kwargs.pop('headers', {})}
        return requests.request(method, self.endpoint + path, headers=headers, **kwargs)

    def oaio_path(self, oaio_id, suffix=''):
        return f'/oaio/{quote(oaio_id, safe="")}{suffix}'

    def get_object(self, oaio_id):
        return self.request('GET', self.oaio_path(oaio_id))

    def patch_object(self, oaio_id, values):
        return self.request('PATCH', self.oaio_path(oaio_id), json=values)

    def share(self, oaio_id, user_name, right):
        return self.request('PUT', self.oaio_path(oaio_id, f'/_access/{user_name}'), json={'right': right})

    def access(self, oaio_id):
        return self.request('GET', self.oaio_path(oaio_id, '/_access'))


def entity_values(entity):
    """The values of an ``/api/v1`` entity (its JSON without ``id`` and ``_meta``)."""
    return {key: value for key, value in entity.items() if key not in ('id', '_meta')}
