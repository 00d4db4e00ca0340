"""Shared helpers for the real-client tests (imported by the test modules)."""

import re
import uuid
from contextlib import contextmanager

import pytest
import requests
from connect.client import ClientError

from conftest import API_KEY

CONTENT_RANGE = re.compile(r'^items (\d+)-(\d+)/(\d+)$')
PRODUCT_ID = re.compile(r'^PRD-\d{3}-\d{3}-\d{3}$')
ISO_UTC = re.compile(r'^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$')


def check_error_shape(error: ClientError):
    """The error body must have been a JSON object with `error_code` and a list of strings."""
    assert error.error_code, f'no error_code parsed from the error body: {error!r}'
    assert isinstance(error.errors, list) and error.errors, error.errors
    assert all(isinstance(item, str) and item for item in error.errors), error.errors
    assert 'status_code' not in (error.additional_info or {})


@contextmanager
def raises_client_error(status_code, error_code=None):
    """Expect a ClientError with that status (and error code); yields an object with `.value`."""
    with pytest.raises(ClientError) as info:
        yield info
    error = info.value
    assert error.status_code == status_code, (
        f'expected HTTP {status_code}, got {error.status_code}: {error.error_code} {error.errors}'
    )
    check_error_shape(error)
    if error_code is not None:
        assert error.error_code == error_code, (
            f'expected error_code {error_code}, got {error.error_code}: {error.errors}'
        )


def parse_content_range(value):
    assert value is not None, 'missing Content-Range header'
    match = CONTENT_RANGE.match(value)
    assert match, f'bad Content-Range {value!r}'
    return tuple(int(group) for group in match.groups())


class RequestRecorder:
    """A connect-client `logger` that records every request URL (to count pages)."""

    def __init__(self):
        self.requests = []
        self.responses = []

    def log_request(self, method, url, kwargs):
        params = dict((kwargs or {}).get('params') or {})
        self.requests.append((method.upper(), url, params))

    def log_response(self, response):
        self.responses.append(response)


# --- credentials for raw HTTP ----------------------------------------------------------------


def admin_headers(headers=None):
    """`headers` (a dict, may be None) with the admin ``Authorization`` of every test server added
    (an explicit Authorization in `headers` wins)."""
    return {'Authorization': API_KEY, **(headers or {})}


class AuthorizedHTTP:
    """``requests``' verbs sending one fixed ``Authorization`` header (``None``: none, i.e. anonymous).

    Stateless (each call is a plain ``requests.request``), so one object serves every thread.
    """

    def __init__(self, authorization=API_KEY):
        self.authorization = authorization

    def headers(self, headers=None):
        merged = dict(headers or {})
        if self.authorization is not None:
            merged.setdefault('Authorization', self.authorization)
        return merged

    def request(self, method, url, headers=None, **kwargs):
        kwargs.setdefault('timeout', 30)
        return requests.request(method, url, headers=self.headers(headers), **kwargs)

    def get(self, url, **kwargs):
        return self.request('GET', url, **kwargs)

    def head(self, url, **kwargs):
        return self.request('HEAD', url, **kwargs)

    def post(self, url, **kwargs):
        return self.request('POST', url, **kwargs)

    def put(self, url, **kwargs):
        return self.request('PUT', url, **kwargs)

    def patch(self, url, **kwargs):
        return self.request('PATCH', url, **kwargs)

    def delete(self, url, **kwargs):
        return self.request('DELETE', url, **kwargs)

    def session(self):
        """A ``requests.Session`` (keep-alive) sending this Authorization (one per thread)."""
        session = requests.Session()
        if self.authorization is not None:
            session.headers['Authorization'] = self.authorization
        return session


# Raw HTTP as the admin (API_KEY), and deliberately without credentials.
admin_http = AuthorizedHTTP(API_KEY)
anonymous_http = AuthorizedHTTP(None)


def admin_session():
    """A ``requests.Session`` that sends the admin Authorization on every request."""
    return admin_http.session()


def new_user(endpoint, prefix='user'):
    """A new user (name `prefix` + a unique suffix) with an API key: (name, AuthorizedHTTP signing as them)."""
    name = f'{prefix}{uuid.uuid4().hex[:10]}'
    assert admin_http.post(f'{endpoint}/_admin/users', json={'name': name}).status_code == 201
    issued = admin_http.post(f'{endpoint}/_admin/users/{name}/keys')
    assert issued.status_code == 201, issued.text
    return name, AuthorizedHTTP(issued.json()['authorization'])
