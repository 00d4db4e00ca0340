"""Randomized bad input against the real server: mutated RQL query strings and mutated JSON bodies.

Every answer must be a 2xx or a 4xx with a Connect error body (never a 5xx, never a dropped
connection), and the server must keep serving afterwards. Seeds are fixed, so a failure reproduces.
"""
import http.client
import json
import random
import urllib.parse

from clienthelpers import admin_headers

QUERY_PIECES = ['eq(', 'ne(', 'lt(', 'in(', 'out(', 'and(', 'or(', 'not(', 'like(', 'ilike(', 'select(',
                'ordering(', 'limit=', 'offset=', 'search=', 'null()', 'empty()', ')', ',', '(', 'price',
                'status', 'name', 'a.b', '%2C', '%28', '%', "'", '"', '*', '-', '+', '|', '\\', '^', '{', '}',
                '[', ']', '!', '=', '&', '0', '19.99', '-1', 'true', '2024-01-02T10:00:00+00:00', 'é']

BASE_BODY = json.dumps({'name': 'x', 'price': 19.99, 'status': 'draft', 'released': '2024-01-02T10:00:00Z',
                        'tags': [1, 2, {'a': None}], 'n': 9007199254740993}).encode()


def _connection(base_url):
    url = urllib.parse.urlparse(base_url)
    return http.client.HTTPConnection(url.hostname, url.port, timeout=10)


def _check(status, body, what):
    assert status < 500, f'{what}: {status} {body[:300]!r}'
    if status >= 400:
        error = json.loads(body)
        assert isinstance(error['error_code'], str) and error['errors'], what
        assert all(isinstance(message, str) for message in error['errors']), what


def test_random_query_strings_get_an_answer_never_a_server_error(base_url):
    rng = random.Random(1)
    connection = _connection(base_url)
    for _ in range(600):
        query = ''.join(rng.choice(QUERY_PIECES) for _ in range(rng.randint(1, 12)))
        query = urllib.parse.quote(query, safe="()=&,%'\"*-+.!|\\^{}[]:")
        connection.request('GET', f'/api/v1/products?{query}', headers=admin_headers())
        response = connection.getresponse()
        _check(response.status, response.read(), f'GET ?{query}')
    connection.close()


def test_mutated_json_bodies_get_an_answer_never_a_server_error(base_url):
    rng = random.Random(2)
    connection = _connection(base_url)
    created = []
    for _ in range(600):
        body = bytearray(BASE_BODY)
        for _ in range(rng.randint(1, 6)):
            position = rng.randrange(len(body)) if body else 0
            roll = rng.random()
            if roll < 0.4 and body:
                body[position] = rng.randrange(256)
            elif roll < 0.7:
                body.insert(position, rng.choice(b'{}[]",:\\u0e-+.'))
            elif body:
                del body[position]
        path = rng.choice(['/api/v1/products', '/api/v1/items', '/api/v1/gadgets'])
        connection.request('POST', path, bytes(body), admin_headers({'Content-Type': 'application/json'}))
        response = connection.getresponse()
        answer = response.read()
        _check(response.status, answer, f'POST {path} {bytes(body)!r}')
        if response.status == 201:
            created.append((path, json.loads(answer)))
    connection.close()
    assert created, 'some mutations stay valid JSON and must be stored'
    for path, entity in created[:20]:
        check = _connection(base_url)
        check.request('GET', f"{path}/{entity['id']}", headers=admin_headers())
        response = check.getresponse()
        assert response.status == 200
        assert json.loads(response.read()) == entity
        check.close()
