"""Helpers of the OData suites (``test_odata_*.py``, run in ``.build/odata-venv``).

The suites share one server per backend: the ``odata`` fixture below starts the release ``entityhub serve``
on 127.0.0.1 with the schema below (issue 13 §1 plus the collections the tests need) and tiny pages
(``--default-page-size 2 --max-page-size 3``), so that a handful of entities already spans three pages. The
test modules load this module as a pytest plugin (``pytest_plugins = ['odatahelpers']``), so all of them
share that one server per backend. Every test signs in as a user of its own (``new_user``): entities are
private by default, so a test sees exactly the entities it created, and the admin never writes test data.
Nothing here imports the Connect client (``clienthelpers``), which this venv lacks.
"""

import json
import os
import re
import shutil
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path
from unittest import mock
from urllib.parse import quote

import pytest
import requests
from requests.auth import AuthBase
from requests.structures import CaseInsensitiveDict

import conftest
from conftest import API_KEY, fresh_storage, require_binary, session_servers, stop_cleanly

NAMESPACE = 'EntityHub'
PAGE_SIZE = 2
MAX_PAGE_SIZE = 3
HTTP_TIMEOUT = 60
EDM = 'http://docs.oasis-open.org/odata/ns/edm'
EDMX = 'http://docs.oasis-open.org/odata/ns/edmx'
XML_NAMESPACES = {'edm': EDM, 'edmx': EDMX}
COMPUTED = 'Org.OData.Core.V1.Computed'

# Issue 13 §1 verbatim (categories, products with its reference, actions and functions, the top-level
# resetStock and countCheap), plus: products' stock/active/released/status and the collection-bound action
# `clearance` (a bound action python-odata can call, as it returns a count, not an entity); `reviews`
# (strict, a second reference: a collection navigation python-odata can follow, as reviews has no bound
# operations, quirk 19); `notes` (ETags required: 428).
SCHEMA = {
    'collections': {
        'categories': {'fields': {'title': {'type': 'string', 'required': True}}},
        'products': {
            'fields': {
                'name': {'type': 'string', 'required': True},
                'price': {'type': 'decimal'},
                'tags': {'type': 'array', 'items': {'type': 'string'}},
                'categoryId': {'type': 'reference', 'collection': 'categories', 'navigation': 'category',
                               'inverse': 'products'},
                'stock': {'type': 'integer'},
                'active': {'type': 'boolean'},
                'released': {'type': 'datetime'},
                'status': {'type': 'string'},
            },
            'indexes': ['status'],
            'search': ['name'],
            'actions': {
                'reprice': {'parameters': {'price': {'type': 'decimal', 'required': True}},
                            'set': {'price': {'$param': 'price'}}},
                'clearance': {'on': 'collection', 'parameters': {'max': {'type': 'decimal', 'required': True}},
                              'when': 'le(price,$max)', 'set': {'status': 'clearance'}},
            },
            'functions': {
                'isCheap': {'parameters': {'max': {'type': 'decimal', 'required': True}}, 'test': 'le(price,$max)'},
                'cheap': {'on': 'collection', 'parameters': {'max': {'type': 'decimal'}}, 'filter': 'le(price,$max)'},
            },
        },
        'reviews': {
            'strict': True,
            'fields': {
                'text': {'type': 'string', 'required': True},
                'stars': {'type': 'integer'},
                'productId': {'type': 'reference', 'collection': 'products', 'navigation': 'product',
                              'inverse': 'reviews'},
            },
        },
        'notes': {'requireETag': True, 'fields': {'text': {'type': 'string'}}},
    },
    'actions': {'resetStock': {'collection': 'products', 'set': {'stock': 0}}},
    'functions': {'countCheap': {'collection': 'products', 'parameters': {'max': {'type': 'decimal'}},
                                 'filter': 'le(price,$max)', 'returns': 'count'}},
}


# --- the server ---------------------------------------------------------------------------------


class ODataServer:
    """One running EntityHub with the OData schema: ``base`` (``http://127.0.0.1:PORT``), ``root`` (the
    service root ``…/odata/``), ``endpoint`` (REST ``…/api/v1``)."""

    def __init__(self, backend, process):
        self.backend = backend
        self.process = process
        self.base = process.base
        self.root = f'{process.base}/odata/'
        self.endpoint = f'{process.base}/api/v1'

    def url(self, path):
        """`path` relative to the service root (an absolute URL stays as it is)."""
        return path if path.startswith('http') else self.root + path


@contextmanager
def start_odata_server(backend):
    """Starts ``entityhub serve`` on `backend` with SCHEMA and tiny pages; yields an ODataServer."""
    require_binary()
    workdir = Path(tempfile.mkdtemp(prefix=f'entityhub-odata-{backend}-'))
    schema = workdir / 'odata-schema.json'
    schema.write_text(json.dumps(SCHEMA, indent=1))
    try:
        with fresh_storage(backend, workdir) as store:
            # conftest.ServerProcess always passes its SCHEMA; this server needs the OData one.
            with mock.patch.object(conftest, 'SCHEMA', schema):
                process = store.start(workdir / 'server.log', extra_args=[
                    '--default-page-size', str(PAGE_SIZE), '--max-page-size', str(MAX_PAGE_SIZE)])
            process.wait_healthy()
            key = f'odata-{backend}'  # the report hook shows this log when a test fails
            session_servers[key] = process
            try:
                yield ODataServer(backend, process)
            finally:
                session_servers.pop(key, None)
                stop_cleanly(process)
    finally:
        if os.environ.get('ENTITYHUB_KEEP_DATA') is None:
            shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope='session')
def odata(backend):
    """The OData test server of `backend` (one per backend for every OData suite: the test modules load
    this module as a plugin, ``pytest_plugins = ['odatahelpers']``)."""
    with start_odata_server(backend) as server:
        yield server


@pytest.fixture
def user(odata):
    """A fresh user of the OData server (a Client signed in with its API key)."""
    return new_user(odata)


@pytest.fixture
def other_user(odata):
    """A second fresh user, who holds no right on `user`'s entities."""
    return new_user(odata, prefix='ot')


# --- users and raw HTTP ------------------------------------------------------------------------


class ApiKeyAuth(AuthBase):
    """A requests ``auth`` sending one Authorization value (python-odata passes it on every request,
    ``$metadata`` included)."""

    def __init__(self, authorization):
        self.authorization = authorization

    def __call__(self, request):
        request.headers['Authorization'] = self.authorization
        return request


class Client:
    """Raw HTTP against one server as one caller (``authorization`` None: anonymous). Paths are relative
    to the OData service root unless they are absolute URLs; ``rest_*`` go to ``/api/v1``."""

    def __init__(self, server, authorization, name=None):
        self.server = server
        self.authorization = authorization
        self.name = name

    def request(self, method, path, headers=None, **kwargs):
        merged = dict(headers or {})
        if self.authorization is not None:
            merged.setdefault('Authorization', self.authorization)
        kwargs.setdefault('timeout', HTTP_TIMEOUT)
        return requests.request(method, self.server.url(path), headers=merged, **kwargs)

    def get(self, path, **kwargs):
        return self.request('GET', path, **kwargs)

    def post(self, path, **kwargs):
        return self.request('POST', path, **kwargs)

    def patch(self, path, **kwargs):
        return self.request('PATCH', path, **kwargs)

    def put(self, path, **kwargs):
        return self.request('PUT', path, **kwargs)

    def delete(self, path, **kwargs):
        return self.request('DELETE', path, **kwargs)

    def rest(self, method, path, **kwargs):
        return self.request(method, f'{self.server.endpoint}/{path}', **kwargs)

    # --- test data through REST (what the OData side then reads) ---

    def create(self, collection, document):
        """Creates one entity through REST; returns the stored document."""
        response = self.rest('POST', collection, json=document)
        assert response.status_code == 201, f'REST create in {collection}: {response.status_code} {response.text}'
        return response.json()

    def create_many(self, collection, documents):
        """Creates entities through REST, one bulk request; returns the stored documents in order."""
        response = self.rest('POST', collection, json=list(documents))
        assert response.status_code == 201, f'REST bulk create in {collection}: {response.status_code} {response.text}'
        return response.json()

    def grant(self, collection, entity_id, user, right='r'):
        response = self.rest('PUT', f'{collection}/{entity_id}/_access/{user.name}', json={'right': right})
        assert response.status_code in (200, 201, 204), response.text

    def entity(self, set_name, key, **kwargs):
        """GET Set('key') through OData; asserts 200 and returns the body."""
        response = self.get(key_path(set_name, key), **kwargs)
        assert response.status_code == 200, f'GET {key_path(set_name, key)}: {response.status_code} {response.text}'
        return response.json()

    def values(self, path, **kwargs):
        """Every entity of a collection URL, following ``@odata.nextLink``; asserts 200 on each page."""
        items, url, pages = [], path, 0
        while url:
            response = self.get(url, **kwargs)
            assert response.status_code == 200, f'GET {url}: {response.status_code} {response.text}'
            body = response.json()
            items += body['value']
            url = body.get('@odata.nextLink')
            kwargs.pop('params', None)  # the nextLink carries every option
            pages += 1
            assert pages < 1000, 'nextLink loop'
        return items

    def count(self, path, **kwargs):
        """``path/$count`` as a number (asserts 200 and a bare integer)."""
        response = self.get(f'{path}/$count', **kwargs)
        assert response.status_code == 200, response.text
        assert re.fullmatch(r'\d+', response.text.strip()), response.text
        return int(response.text)


def admin_client(server):
    return Client(server, API_KEY, name='admin')


def anonymous_client(server):
    return Client(server, None)


def new_user(server, prefix='od'):
    """A fresh user with an API key (created by the admin); returns a Client signed in as that user."""
    name = f'{prefix}{uuid.uuid4().hex[:10]}'
    admin = admin_client(server)
    response = admin.rest('POST', '_admin/users', json={'name': name})
    assert response.status_code == 201, response.text
    response = admin.rest('POST', f'_admin/users/{name}/keys')
    assert response.status_code == 201, response.text
    return Client(server, response.json()['authorization'], name=name)


# --- URLs and answers --------------------------------------------------------------------------


def literal(value):
    """An OData string literal: quoted, ``'`` doubled."""
    return "'" + value.replace("'", "''") + "'"


def key_path(set_name, key):
    """``Set('key')`` with the key percent-encoded where a URL needs it (``/`` included)."""
    return f"{set_name}({quote(literal(key), safe=chr(39))})"


def media_type(response):
    value = response.headers.get('Content-Type')
    assert value is not None, f'no Content-Type: {response.status_code} {response.text[:200]}'
    return value.split(';')[0].strip().lower()


def content_type_parameters(response):
    """The parameters of the answer's Content-Type, names lower-cased: {'odata.metadata': 'minimal', …}."""
    value = response.headers.get('Content-Type', '')
    parameters = {}
    for item in value.split(';')[1:]:
        if '=' in item:
            name, _, val = item.partition('=')
            parameters[name.strip().lower()] = val.strip().strip('"')
    return parameters


REST_ERROR_KEYS = ('error_code', 'errors')
TRACE_MARKERS = ('Traceback', '.swift:', 'Fatal error', 'EntityError(', 'RESTError')


def check_error(response, status):
    """An OData error answer (reference §2.10): `status`, JSON, ``{"error": {"code", "message", …}}`` with
    non-empty strings, never a REST body or a trace. Returns the ``error`` object."""
    assert response.status_code == status, (
        f'expected HTTP {status}, got {response.status_code}: {response.text[:500]}')
    assert media_type(response) == 'application/json', response.headers.get('Content-Type')
    assert response.headers.get('OData-Version') in ('4.0', '4.01'), response.headers
    body = response.json()
    assert isinstance(body, dict) and set(body) == {'error'}, body
    error = body['error']
    assert isinstance(error.get('code'), str) and error['code'], body
    assert isinstance(error.get('message'), str) and error['message'].strip(), body
    assert not any(key in body for key in REST_ERROR_KEYS), body
    assert not any(marker in response.text for marker in TRACE_MARKERS), body
    return error


def error_position(error):
    """The character position an error names: ``innererror.position`` or "position N" in a message."""
    inner = error.get('innererror') or {}
    if isinstance(inner.get('position'), int):
        return inner['position']
    texts = [error.get('message', '')] + [detail.get('message', '') for detail in error.get('details') or []]
    for text in texts:
        match = re.search(r'position (\d+)', text)
        if match:
            return int(match.group(1))
    return None


def etag(version):
    """The ETag of an entity version, as REST and OData send it: ``"N"``."""
    return f'"{version}"'


# --- multipart $batch ----------------------------------------------------------------------------


class Part:
    """One request of a multipart batch; `url` is written verbatim into the request line."""

    def __init__(self, method, url, body=None, headers=None, content_id=None):
        self.method = method
        self.url = url
        self.body = body
        self.headers = dict(headers or {})
        self.content_id = content_id
        if body is not None and not isinstance(body, (str, bytes)):
            self.body = json.dumps(body)
            self.headers.setdefault('Content-Type', 'application/json')


class Changeset:
    """Requests answered all or nothing; each needs a Content-ID (numbered 1, 2… unless given)."""

    def __init__(self, *parts):
        self.parts = list(parts)
        for number, part in enumerate(self.parts, start=1):
            if part.content_id is None:
                part.content_id = str(number)


def _http_part(part, newline):
    lines = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary']
    if part.content_id is not None:
        lines.append(f'Content-ID: {part.content_id}')
    lines += ['', f'{part.method} {part.url} HTTP/1.1']
    lines += [f'{name}: {value}' for name, value in part.headers.items()]
    lines.append('')
    body = part.body or ''
    if isinstance(body, bytes):
        body = body.decode()
    return newline.join(lines) + newline + body


def multipart_body(items, boundary=None, newline='\r\n'):
    """A ``multipart/mixed`` $batch body of Parts and Changesets; returns (content_type, bytes)."""
    boundary = boundary or 'batch_' + uuid.uuid4().hex
    chunks = []
    for item in items:
        if isinstance(item, Changeset):
            inner = 'changeset_' + uuid.uuid4().hex
            nested = ''.join(f'--{inner}{newline}{_http_part(part, newline)}{newline}' for part in item.parts)
            chunks.append(f'--{boundary}{newline}Content-Type: multipart/mixed; boundary={inner}{newline}{newline}'
                          f'{nested}--{inner}--{newline}')
        else:
            chunks.append(f'--{boundary}{newline}{_http_part(item, newline)}{newline}')
    body = ''.join(chunks) + f'--{boundary}--{newline}'
    return f'multipart/mixed; boundary={boundary}', body.encode()


class Answer:
    """One answered part of a batch: ``status``, ``headers``, ``body`` (bytes), ``content_id``."""

    def __init__(self, status, headers, body, content_id=None):
        self.status = status
        self.headers = headers
        self.body = body
        self.content_id = content_id

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return f'<Answer {self.status} id={self.content_id} {self.body[:200]!r}>'


def _split_head(data):
    """(header dict, rest) of a MIME part or HTTP message; CRLF or LF."""
    match = re.search(rb'\r?\n\r?\n', data)
    head, rest = (data[:match.start()], data[match.end():]) if match else (data, b'')
    lines = re.split(rb'\r?\n', head)
    return lines, rest


def _headers(lines):
    headers = CaseInsensitiveDict()
    for line in lines:
        if b':' in line:
            name, _, value = line.decode().partition(':')
            headers[name.strip()] = value.strip()
    return headers


def _boundary(content_type):
    match = re.search(r'boundary="?([^";]+)"?', content_type or '')
    assert match, f'no boundary in {content_type!r}'
    return match.group(1)


def split_multipart(body, boundary):
    """The parts between the delimiters of a multipart body (preamble and epilogue dropped)."""
    delimiter = re.compile(rb'(?:^|\r?\n)--' + re.escape(boundary.encode()) + rb'(--)?[ \t]*(?:\r?\n|$)')
    parts, start = [], None
    for match in delimiter.finditer(body):
        if start is not None:
            parts.append(body[start:match.start()])
        if match.group(1):
            return parts
        start = match.end()
    raise AssertionError(f'multipart body without its closing delimiter --{boundary}--: {body[-300:]!r}')


def parse_multipart(content_type, body):
    """A multipart batch answer as a list whose items are Answers or, for changesets, lists of Answers."""
    items = []
    for raw in split_multipart(body, _boundary(content_type)):
        lines, rest = _split_head(raw)
        headers = _headers(lines)
        part_type = headers.get('Content-Type', '')
        if part_type.lower().startswith('multipart/mixed'):
            items.append(parse_multipart(part_type, rest))
            continue
        assert part_type.lower().startswith('application/http'), f'part of type {part_type!r}: {raw[:300]!r}'
        http_lines, http_body = _split_head(rest)
        status_line = http_lines[0].decode()
        match = re.match(r'HTTP/1\.1 (\d{3})', status_line)
        assert match, f'bad status line {status_line!r}'
        items.append(Answer(int(match.group(1)), _headers(http_lines[1:]), http_body.rstrip(b'\r\n'),
                            headers.get('Content-ID')))
    return items


def post_multipart(client, items, headers=None, newline='\r\n', boundary=None):
    """POSTs a multipart $batch; asserts 200 multipart/mixed and returns (response, parsed answers)."""
    content_type, body = multipart_body(items, boundary=boundary, newline=newline)
    response = client.post('$batch', data=body, headers={'Content-Type': content_type, **(headers or {})})
    assert response.status_code == 200, f'$batch: {response.status_code} {response.text[:500]}'
    assert media_type(response) == 'multipart/mixed', response.headers
    return response, parse_multipart(response.headers['Content-Type'], response.content)


def post_json_batch(client, requests_, headers=None):
    """POSTs a JSON $batch; asserts 200 application/json and returns the responses by id."""
    response = client.post('$batch', json={'requests': requests_},
                           headers={'Accept': 'application/json', **(headers or {})})
    assert response.status_code == 200, f'JSON $batch: {response.status_code} {response.text[:500]}'
    assert media_type(response) == 'application/json', response.headers
    answers = response.json()['responses']
    by_id = {answer['id']: answer for answer in answers}
    assert len(by_id) == len(answers), answers
    return by_id


def ids(entities):
    return sorted(entity['id'] for entity in entities)


def without_annotations(entity):
    return {key: value for key, value in entity.items() if '@' not in key}
