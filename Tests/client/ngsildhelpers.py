"""Helpers of the NGSI-LD real-client suite (``test_ngsildclient.py``, run in ``.build/ngsild-venv``).

ngsildclient 0.5.2 pins ``httpx<0.24`` while the Connect client needs ``httpx>=0.28``, so this suite has a
virtual environment of its own (``Tests/client/requirements-ngsild.txt``) and imports nothing from
``clienthelpers`` (which imports the Connect client).
"""

import json
import re
import uuid
from urllib.parse import parse_qsl, quote, urlsplit

import httpx
import requests
from ngsildclient import AsyncClient, Client
from requests.auth import AuthBase
from requests.structures import CaseInsensitiveDict

from conftest import API_KEY

NGSILD = '/ngsi-ld/v1'
CORE_CONTEXT = 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld'
CORE_CONTEXT_V18 = 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld'
# Any published core context URL, unversioned or versioned (§2.4).
CORE_CONTEXT_URL = re.compile(r'^https://uri\.etsi\.org/ngsi-ld/v1/ngsi-ld-core-context(-v1\.\d+)?\.jsonld$')
VERSIONED_CORE_CONTEXT_URL = re.compile(r'^https://uri\.etsi\.org/ngsi-ld/v1/ngsi-ld-core-context-v1\.\d+\.jsonld$')
JSONLD_CONTEXT_REL = 'http://www.w3.org/ns/json-ld#context'
DEFAULT_VOCAB = 'https://uri.etsi.org/ngsi-ld/default-context/'
ERRORS = 'https://uri.etsi.org/ngsi-ld/errors/'
ISO_UTC_MS = re.compile(r'^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$')
HTTP_TIMEOUT = 120
LOOPBACK_HOSTS = ('127.0.0.1', 'localhost', '::1')


# --- signing in through custom_auth ----------------------------------------------------------


class ApiKeyAuth(AuthBase):
    """The sync client's ``custom_auth``: a requests ``AuthBase`` (ngsildclient sets ``session.auth``)."""

    def __init__(self, authorization=API_KEY):
        self.authorization = authorization

    def __call__(self, request):
        request.headers['Authorization'] = self.authorization
        return request


class AsyncApiKeyAuth(httpx.Auth):
    """The async client's ``custom_auth``: an httpx ``Auth`` (``httpx.AsyncClient(auth=…)``)."""

    def __init__(self, authorization=API_KEY):
        self.authorization = authorization

    def auth_flow(self, request):
        request.headers['Authorization'] = self.authorization
        yield request


def loopback(server):
    """(host, port) of a session server's base URL; refuses anything but loopback (§7.1)."""
    parts = urlsplit(server)
    assert parts.hostname in LOOPBACK_HOSTS, f'NGSI-LD tests run against loopback only, not {server}'
    return parts.hostname, parts.port


def connect(server, authorization=API_KEY, **kwargs):
    """An unmodified ngsildclient ``Client`` on `server`, signed in through ``custom_auth``, recording
    every answer (``client.recorder``)."""
    host, port = loopback(server)
    client = Client(hostname=host, port=port, custom_auth=ApiKeyAuth(authorization), verbose=False, **kwargs)
    client.recorder = Recorder()
    client.session.hooks['response'].append(client.recorder.hook)
    return client


def connect_async(server, authorization=API_KEY):
    host, port = loopback(server)
    client = AsyncClient(hostname=host, port=port, custom_auth=AsyncApiKeyAuth(authorization))
    client.recorder = AsyncRecorder()
    client.client.event_hooks['response'] = [client.recorder.hook]
    return client


class Exchange:
    """One request and its answer, as seen on the wire."""

    def __init__(self, method, url, request_headers, request_body, status, headers, body):
        self.method = method
        self.url = url
        self.request_headers = CaseInsensitiveDict(request_headers)
        self.request_body = request_body
        self.status = status
        self.headers = CaseInsensitiveDict(headers)
        self.body = body

    @property
    def path(self):
        return urlsplit(self.url).path

    @property
    def params(self):
        return dict(parse_qsl(urlsplit(self.url).query, keep_blank_values=True))

    def json(self):
        return json.loads(self.body)

    def request_json(self):
        body = self.request_body
        return json.loads(body.decode() if isinstance(body, bytes) else body)

    def __repr__(self):
        return f'{self.method} {self.url} -> {self.status} {self.body[:300]!r}'


class Recorder:
    """A requests ``response`` hook keeping every exchange of a sync client."""

    def __init__(self):
        self.exchanges = []

    def hook(self, response, *args, **kwargs):
        request = response.request
        self.exchanges.append(Exchange(request.method, request.url, dict(request.headers), request.body,
                                       response.status_code, response.headers, response.content))
        return response

    def clear(self):
        self.exchanges.clear()

    @property
    def last(self):
        assert self.exchanges, 'no request recorded'
        return self.exchanges[-1]


class AsyncRecorder(Recorder):
    """The same for the httpx ``AsyncClient`` of ``ngsildclient.api.asyn`` (an async event hook)."""

    async def hook(self, response):
        await response.aread()
        request = response.request
        self.exchanges.append(Exchange(request.method, str(request.url), dict(request.headers), request.content,
                                       response.status_code, response.headers, response.content))


# --- names ------------------------------------------------------------------------------------


def unique_type(base):
    """An entity type unique to this run (§7.1: reruns and other tests never see each other's entities)."""
    return f'{base}{uuid.uuid4().hex[:10]}'


def entity_url(server, entity_id):
    """The NGSI-LD URL of one entity, its id percent-encoded (curl and browsers would send it so)."""
    return f'{server}{NGSILD}/entities/{quote(entity_id, safe="")}'


def rest_url(server, entity_id):
    """The same entity through REST: ``/api/v1/ngsild/<percent-encoded id>``."""
    return f'{server}/api/v1/ngsild/{quote(entity_id, safe="")}'


# --- answers --------------------------------------------------------------------------------


def media_type(headers):
    value = headers.get('Content-Type')
    assert value is not None, 'no Content-Type'
    return value.split(';')[0].strip().lower()


def context_urls(value):
    """An ``@context`` member as a list of URLs (a string or a one-element array are the same)."""
    return [value] if isinstance(value, str) else list(value)


def check_problem(status, headers, body, expected_status, error_type, mentions=None):
    """A ProblemDetails answer (§2.1): `expected_status`, served as application/json (never
    problem+json or text), `type` the NGSI-LD error URI (or an ``urn:entityhub:error:`` one), a non-empty
    `title`, `status` equal to the HTTP status when present, and no context ``Link``."""
    assert status == expected_status, f'expected HTTP {expected_status}, got {status}: {body[:500]!r}'
    assert media_type(headers) == 'application/json', headers.get('Content-Type')
    problem = json.loads(body)
    assert isinstance(problem, dict), problem
    expected_type = error_type if ':' in error_type else ERRORS + error_type
    assert problem.get('type') == expected_type, problem
    assert isinstance(problem.get('title'), str) and problem['title'].strip(), problem
    if 'status' in problem:
        assert problem['status'] == expected_status, problem
    if 'detail' in problem:
        assert isinstance(problem['detail'], str) and problem['detail'].strip(), problem
    if mentions is not None:
        assert mentions in (problem.get('detail') or '') + ' ' + (problem.get('instance') or ''), problem
    assert 'Link' not in headers, f'an error carries no context Link: {headers.get("Link")}'
    return problem


def check_response_problem(response, expected_status, error_type, mentions=None):
    return check_problem(response.status_code, response.headers, response.content, expected_status, error_type,
                         mentions)


def check_exchange_problem(exchange, expected_status, error_type, mentions=None):
    return check_problem(exchange.status, exchange.headers, exchange.body, expected_status, error_type, mentions)


def check_context_error(error, error_type, status):
    """An ngsildclient ``NgsiContextBrokerError``: its ProblemDetails type and HTTP status."""
    details = error.problemdetails
    assert details.type == ERRORS + error_type, details
    assert details.status == status, details
    assert details.title, details
    return details


def check_batch_error(entry, entity_id, error_type, status=None):
    """One ``BatchEntityError`` of a 207 body: ``{entityId, error: ProblemDetails}`` (§6)."""
    assert entry['entityId'] == entity_id, entry
    error = entry['error']
    assert error['type'] == ERRORS + error_type, entry
    assert isinstance(error.get('title'), str) and error['title'].strip(), entry
    if status is not None and 'status' in error:
        assert error['status'] == status, entry


def check_empty(exchange, status):
    """A 201/204 answer: that status, no body, no context Link (§2.1, §2.3)."""
    assert exchange.status == status, exchange
    assert exchange.body == b'', exchange
    assert 'Link' not in exchange.headers, exchange.headers.get('Link')


def without_context(document):
    return {key: value for key, value in document.items() if key != '@context'}


def sent(entity):
    """What ngsildclient sends for an Entity (plain JSON)."""
    return json.loads(entity.to_json())


def context_link(url):
    return f'<{url}>; rel="{JSONLD_CONTEXT_REL}"; type="application/ld+json"'


def link_context(headers):
    """The JSON-LD context URL of a ``Link`` answer header (None without one)."""
    links = requests.utils.parse_header_links(headers.get('Link', ''))
    urls = [link['url'] for link in links if link.get('rel') == JSONLD_CONTEXT_REL]
    assert len(urls) <= 1, headers.get('Link')
    return urls[0] if urls else None


def paging_links(headers):
    """{'next': url, 'prev': url} from a ``Link`` answer header (§5.5)."""
    links = requests.utils.parse_header_links(headers.get('Link', ''))
    return {link['rel']: link['url'] for link in links if link.get('rel') in ('next', 'prev')}
