"""Wire-level edge cases, sent with raw http.client / sockets so nothing is normalised for us."""

import http.client
import json
import re
import select
import socket
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from urllib.parse import urlsplit

import pytest

from clienthelpers import CONTENT_RANGE, PRODUCT_ID, admin_headers, parse_content_range

EXACT_PRICE = '12345678901234567890.123456789012345678'


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name):
        return self.headers.get(name.lower())

    @property
    def text(self):
        return self.body.decode('utf-8')

    def json(self, **kwargs):
        return json.loads(self.body, **kwargs)

    def __repr__(self):
        return f'<Response {self.status} {self.body[:300]!r}>'


class Raw:
    """Minimal HTTP/1.1 client: sends exactly the path and bytes it is given (as the admin, unless
    `headers` give another Authorization)."""

    def __init__(self, base_url):
        parts = urlsplit(base_url)
        self.host = parts.hostname
        self.port = parts.port

    def request(self, method, path, body=None, headers=None, content_type='application/json'):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            all_headers = admin_headers()
            if body is not None:
                if isinstance(body, (dict, list)):
                    body = json.dumps(body).encode()
                elif isinstance(body, str):
                    body = body.encode()
                if content_type:
                    all_headers['Content-Type'] = content_type
            all_headers.update(headers or {})
            connection.putrequest(method, path, skip_accept_encoding=True)
            for name, value in all_headers.items():
                connection.putheader(name, value)
            if body is not None or method in ('POST', 'PUT', 'PATCH'):
                connection.putheader('Content-Length', str(len(body or b'')))
            connection.endheaders()
            if body:
                connection.send(body)
            response = connection.getresponse()
            data = response.read()
            headers = {name.lower(): value for name, value in response.getheaders()}
            return Response(response.status, headers, data)
        finally:
            connection.close()

    def get(self, path, **kwargs):
        return self.request('GET', path, **kwargs)

    def post(self, path, body=None, **kwargs):
        return self.request('POST', path, body=body, **kwargs)

    def put(self, path, body=None, **kwargs):
        return self.request('PUT', path, body=body, **kwargs)

    def patch(self, path, body=None, **kwargs):
        return self.request('PATCH', path, body=body, **kwargs)

    def delete(self, path, body=None, **kwargs):
        return self.request('DELETE', path, body=body, **kwargs)


def assert_error(response, status, error_code=None):
    assert response.status == status, f'expected {status}, got {response!r}'
    assert (response.header('content-type') or '').startswith('application/json'), response.headers
    body = response.json()
    assert isinstance(body, dict), body
    assert 'status_code' not in body, body
    assert isinstance(body.get('error_code'), str) and body['error_code'], body
    assert isinstance(body.get('errors'), list) and body['errors'], body
    assert all(isinstance(item, str) and item for item in body['errors']), body
    if error_code is not None:
        assert body['error_code'] == error_code, body
    return body


def assert_json(response, status):
    assert response.status == status, f'expected {status}, got {response!r}'
    assert (response.header('content-type') or '').startswith('application/json'), response.headers
    assert response.body, 'a JSON content type with an empty body'
    return response.json()


@pytest.fixture(scope='module')
def raw(server):
    return Raw(server)


@pytest.fixture(scope='module')
def survivor(raw):
    """Created first; checked unchanged by the very last test after all the abuse."""
    body = ('{"name": "survivor", "price": ' + EXACT_PRICE + ', "tag": "survivor-' + uuid.uuid4().hex + '"}')
    response = raw.post('/api/v1/products', body)
    created = assert_json(response, 201)
    return created, response.text


def api(path):
    return f'/api/v1/{path}'


def tagged():
    return 'tg' + uuid.uuid4().hex[:16]


def create_product(raw, **fields):
    payload = {'name': 'edge', **fields}
    return assert_json(raw.post(api('products'), payload), 201)


# --- basics ----------------------------------------------------------------------------------


def test_health(raw, survivor):
    response = raw.get('/health')
    assert assert_json(response, 200) == {'status': 'ok'}


def test_decimals_keep_exact_text(raw, survivor):
    created, text = survivor
    assert f'"price":{EXACT_PRICE}' in text.replace(' ', ''), text
    response = raw.get(api(f'products/{created["id"]}'))
    assert f'"price":{EXACT_PRICE}' in response.text.replace(' ', ''), response.text
    assert response.json(parse_float=Decimal)['price'] == Decimal(EXACT_PRICE)
    other = assert_json(raw.post(api('products'), '{"name": "trailing zero", "price": 19.990}'), 201)
    got = raw.get(api(f'products/{other["id"]}')).text.replace(' ', '')
    assert '"price":19.990' in got, got


EXTREME_NUMBERS = ['1e200', '-1e-200', '900719e9254740993', '1e131072', '-1E+400000', '1e-200000']


@pytest.mark.parametrize('collection, field', [('items', 'n'), ('products', 'price')])
def test_numbers_of_any_exponent_are_kept_exactly_or_refused(raw, collection, field):
    """JSON numbers have no range: the server keeps the text exactly, or refuses it with a 4xx error body.

    Never a 5xx (found by test_fuzz: `"n": 900719e9254740993`). `field` is undeclared (items) or a
    declared, indexed decimal (products).
    """
    wrong = []
    for number in EXTREME_NUMBERS:
        tag = tagged()
        response = raw.post(api(collection), '{"name": "big", "tag": "' + tag + '", "' + field + '": ' + number + '}')
        if response.status >= 500:
            wrong.append(f'POST /api/v1/{collection} {{"{field}": {number}}} answered {response!r}')
            continue
        if response.status >= 400:
            assert_error(response, response.status)
            continue
        created = assert_json(response, 201)
        assert f'"{field}":{number}' in response.text.replace(' ', ''), response.text
        fetched = raw.get(api(f'{collection}/{created["id"]}'))
        assert f'"{field}":{number}' in fetched.text.replace(' ', ''), fetched.text
        listed = raw.get(api(f'{collection}?eq(tag,{tag})&ordering({field})'))
        assert [entity['id'] for entity in assert_json(listed, 200)] == [created['id']]
    assert not wrong, 'server errors:\n' + '\n'.join(wrong)


def test_create_headers(raw):
    response = raw.post(api('products'), {'name': 'headers'})
    created = assert_json(response, 201)
    assert PRODUCT_ID.match(created['id'])
    assert response.header('etag') == '"1"'
    assert response.header('location').endswith(f'/api/v1/products/{created["id"]}')


def test_content_type_with_charset_and_escapes(raw):
    body = b'{"name": "caf\\u00e9 \\ud83d\\ude00", "tag": "esc"}'
    response = raw.post(api('products'), body, content_type='application/json; charset=utf-8')
    assert assert_json(response, 201)['name'] == 'caf\u00e9 \U0001F600'


def test_no_redirects(raw):
    for path in ('/api/v1/products/', '/api/v1/', '/api/v1', '/health/'):
        response = raw.get(path)
        assert not 300 <= response.status < 400, (path, response)


# --- malformed bodies ------------------------------------------------------------------------


@pytest.mark.parametrize('body', [
    '{"name": "x",}',
    '{"name": "x"',
    '{"name": "x"} trailing',
    '{"name": \'x\'}',
    '{"name": "x", "price": NaN}',
    '{name: "x"}',
    '',
])
def test_malformed_json_is_400_with_position(raw, body):
    response = raw.post(api('products'), body.encode() if body else b'x')
    error = assert_error(response, 400, 'INVALID_JSON')
    message = ' '.join(error['errors']).lower()
    assert re.search(r'\d', message), error
    assert any(word in message for word in ('position', 'offset', 'line', 'column', 'byte', 'character')), error


def test_invalid_utf8_is_400(raw):
    assert_error(raw.post(api('products'), b'{"name": "\xff\xfe"}'), 400)
    assert_error(raw.post(api('products'), b'{"name": "\xc0\xaf"}'), 400)
    assert_error(raw.post(api('products'), b'{"name": "ab\xe2\x82"}'), 400)


@pytest.mark.parametrize('depth', [10_000, 100_000])
def test_deep_nesting_is_400(raw, depth):
    assert_error(raw.post(api('items'), '[' * depth + ']' * depth), 400)
    nested = '{"name": "deep", "v": ' + '[' * depth + ']' * depth + '}'
    assert_error(raw.post(api('products'), nested), 400)
    objects = '{"name": "deep", "v": ' + '{"a":' * depth + '1' + '}' * depth + '}'
    assert_error(raw.post(api('products'), objects), 400)
    assert raw.get('/health').status == 200


def test_non_object_bodies_are_rejected(raw):
    for body in ('42', '"text"', 'null', '[1, 2]'):
        response = raw.post(api('products'), body)
        assert response.status in (400, 422), (body, response)
        assert_error(response, response.status)


def _send_huge(port, total, chunked):
    """Streams a body of `total` bytes; returns the status answered (or None if the server
    closed the connection without an answer)."""
    sock = socket.create_connection(('127.0.0.1', port), timeout=30)
    try:
        head = (f'POST /api/v1/products HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n'
                f'Authorization: {admin_headers()["Authorization"]}\r\nContent-Type: application/json\r\n')
        head += 'Transfer-Encoding: chunked\r\n' if chunked else f'Content-Length: {total}\r\n'
        sock.sendall((head + '\r\n').encode())
        chunk = b'{"name": "' + b'a' * (1024 * 1024 - 10)
        filler = b'a' * (1024 * 1024)
        sent = 0
        deadline = time.monotonic() + 60
        while sent < total and time.monotonic() < deadline:
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:
                break  # the server answered early
            piece = chunk if sent == 0 else filler
            piece = piece[: total - sent]
            data = (f'{len(piece):x}\r\n'.encode() + piece + b'\r\n') if chunked else piece
            try:
                sock.sendall(data)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(piece)
        if chunked and sent >= total:
            try:
                sock.sendall(b'0\r\n\r\n')
            except (BrokenPipeError, ConnectionResetError):
                pass
        received = b''
        try:
            while b'\r\n' not in received:
                data = sock.recv(65536)
                if not data:
                    break
                received += data
        except (ConnectionResetError, socket.timeout):
            pass
        if not received:
            return None
        match = re.match(rb'HTTP/1\.[01] (\d{3})', received)
        assert match, received[:200]
        return int(match.group(1))
    finally:
        sock.close()


@pytest.mark.parametrize('chunked', [False, True], ids=['content-length', 'chunked'])
def test_100mb_body_is_413(raw, chunked):
    status = _send_huge(raw.port, 100 * 1024 * 1024, chunked)
    assert status in (413, None), status
    assert raw.get('/health').status == 200


def test_expect_100_continue_is_answered_before_the_body(raw):
    """A client that asks `Expect: 100-continue` (curl does for bodies over 1 MB) gets `100 Continue` at once,
    sends the body, and gets the real answer; without it, curl waits a second before sending anyway."""
    body = json.dumps([{'name': f'continued {n}'} for n in range(3)]).encode()
    sock = socket.create_connection(('127.0.0.1', raw.port), timeout=10)
    try:
        sock.sendall((f'POST /api/v1/products HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n'
                      f'Authorization: {admin_headers()["Authorization"]}\r\nExpect: 100-continue\r\n'
                      f'Content-Length: {len(body)}\r\n\r\n').encode())
        sock.settimeout(0.5)  # far below curl's one-second wait
        interim = sock.recv(65536)
        assert interim.startswith(b'HTTP/1.1 100'), interim
        sock.settimeout(10)
        sock.sendall(body)
        received = interim.partition(b'\r\n\r\n')[2]
        while b'\r\n\r\n' not in received:
            received += sock.recv(65536)
        head, _, rest = received.partition(b'\r\n\r\n')
        assert head.startswith(b'HTTP/1.1 201'), head
        length = int(re.search(rb'(?i)content-length: *(\d+)', head).group(1))
        while len(rest) < length:
            rest += sock.recv(65536)
        assert [item['name'] for item in json.loads(rest)] == ['continued 0', 'continued 1', 'continued 2']
    finally:
        sock.close()


def test_413_error_body(raw):
    """A declared oversize Content-Length is refused with the 413 error body."""
    sock = socket.create_connection(('127.0.0.1', raw.port), timeout=30)
    try:
        sock.sendall((f'POST /api/v1/products HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n'
                      f'Authorization: {admin_headers()["Authorization"]}\r\n'
                      f'Content-Length: {100 * 1024 * 1024}\r\n\r\n').encode())
        sock.sendall(b'{"name": "' + b'a' * 65536)
        received = b''
        try:
            while True:
                data = sock.recv(65536)
                if not data:
                    break
                received += data
                if b'\r\n\r\n' in received:
                    head, _, rest = received.partition(b'\r\n\r\n')
                    length = re.search(rb'(?i)content-length: *(\d+)', head)
                    if length and len(rest) >= int(length.group(1)):
                        break
        except (ConnectionResetError, socket.timeout):
            pass
    finally:
        sock.close()
    if not received:
        pytest.skip('server closed the connection without an answer (allowed)')
    head, _, body = received.partition(b'\r\n\r\n')
    assert head.startswith(b'HTTP/1.1 413'), head
    parsed = json.loads(body)
    assert parsed['error_code'] == 'PAYLOAD_TOO_LARGE' and parsed['errors'], parsed


# --- RQL and list responses ------------------------------------------------------------------


def test_unknown_rql_operator_is_named(raw):
    error = assert_error(raw.get(api('products?frobnicate(name,x)')), 400, 'INVALID_RQL')
    assert any('frobnicate' in e for e in error['errors']), error
    error = assert_error(raw.get(api('products?and(eq(name,x),zork(status,y))')), 400, 'INVALID_RQL')
    assert any('zork' in e for e in error['errors']), error


def test_rql_type_errors_are_400(raw):
    error = assert_error(raw.get(api('products?eq(price,abc)')), 400, 'INVALID_RQL')
    assert any('price' in e for e in error['errors']), error
    assert_error(raw.get(api('products?in(price,(1,two))')), 400, 'INVALID_RQL')
    assert_error(raw.get(api('products?gt(released,tomorrow)')), 400, 'INVALID_RQL')


def test_raw_plus_and_form_encoded_search(raw):
    tag = tagged()
    product = create_product(raw, tag=tag, released='2024-01-02T10:00:00Z', name=f'Blue Gizmo {tag}')
    found = assert_json(raw.get(api(f'products?eq(tag,{tag})&eq(released,2024-01-02T10:00:00+00:00)')), 200)
    assert [p['id'] for p in found] == [product['id']]
    found = assert_json(raw.get(api(f'products?eq(tag,{tag})&limit=10&offset=0&search=Gizmo+{tag}')), 200)
    assert [p['id'] for p in found] == [product['id']]
    found = assert_json(raw.get(api(f'products?eq(tag,{tag})&search=Gizmo%20{tag}')), 200)
    assert [p['id'] for p in found] == [product['id']]


def test_rql_terms_are_split_only_at_depth_zero(raw):
    tag = tagged()
    product = create_product(raw, tag=tag, name='a&b')
    create_product(raw, tag=tag, name='a')
    found = assert_json(raw.get(api(f'products?eq(tag,{tag})&eq(name,"a&b")')), 200)
    assert [p['id'] for p in found] == [product['id']]
    found = assert_json(raw.get(api(f'products?eq(tag,{tag})&eq(name,a%26b)')), 200)
    assert [p['id'] for p in found] == [product['id']]


def test_select_and_ordering_in_query(raw):
    tag = tagged()
    for n, price in enumerate(('3.5', '10', '2')):
        raw.post(api('products'), f'{{"name": "p{n}", "tag": "{tag}", "price": {price}, "status": "s"}}')
    rows = assert_json(raw.get(api(f'products?select(name,-status)&eq(tag,{tag})&ordering(-price)&limit=100&offset=0')), 200)
    assert [row['name'] for row in rows] == ['p1', 'p0', 'p2']
    assert all('status' not in row for row in rows)


@pytest.fixture(scope='module')
def five(raw):
    tag = tagged()
    created = assert_json(raw.post(api('items'), [{'tag': tag, 'seq': n} for n in range(5)]), 201)
    assert len(created) == 5
    return tag


def test_content_range_normal_page(raw, five):
    response = raw.get(api(f'items?eq(tag,{five})&ordering(seq)&limit=2&offset=1'))
    rows = assert_json(response, 200)
    assert [row['seq'] for row in rows] == [1, 2]
    assert response.header('content-range') == 'items 1-2/5'


def test_content_range_default_limit(raw, five):
    response = raw.get(api(f'items?eq(tag,{five})&ordering(seq)'))
    assert [row['seq'] for row in assert_json(response, 200)] == [0, 1, 2, 3, 4]
    assert response.header('content-range') == 'items 0-4/5'


def test_content_range_last_partial_page(raw, five):
    response = raw.get(api(f'items?eq(tag,{five})&ordering(seq)&limit=3&offset=3'))
    assert [row['seq'] for row in assert_json(response, 200)] == [3, 4]
    assert response.header('content-range') == 'items 3-4/5'


def test_content_range_empty(raw):
    response = raw.get(api(f'items?eq(tag,{tagged()})'))
    assert assert_json(response, 200) == []
    assert response.header('content-range') == 'items 0-0/0'
    response = raw.get(api(f'items?eq(tag,{tagged()})&limit=0'))
    assert assert_json(response, 200) == []
    assert response.header('content-range') == 'items 0-0/0'


def test_content_range_limit_zero(raw, five):
    response = raw.get(api(f'items?eq(tag,{five})&limit=0&offset=0'))
    assert assert_json(response, 200) == []
    first, last, total = parse_content_range(response.header('content-range'))
    assert total == 5 and first >= 0 and last >= 0


def test_content_range_offset_past_end(raw, five):
    response = raw.get(api(f'items?eq(tag,{five})&limit=10&offset=10'))
    assert assert_json(response, 200) == []
    assert CONTENT_RANGE.match(response.header('content-range') or ''), response.headers
    assert parse_content_range(response.header('content-range'))[2] == 5


def test_limit_bounds(raw, five):
    assert_json(raw.get(api(f'items?eq(tag,{five})&limit=1000')), 200)
    error = assert_error(raw.get(api(f'items?eq(tag,{five})&limit=1001')), 400, 'INVALID_REQUEST')
    assert any('1000' in e for e in error['errors']), error


def test_bad_limit_and_offset_values_are_invalid_request(raw):
    # limit/offset are not RQL: same code as the too-large limit above
    assert_error(raw.get(api('items?limit=-1')), 400, 'INVALID_REQUEST')
    assert_error(raw.get(api('items?limit=abc')), 400, 'INVALID_REQUEST')
    assert_error(raw.get(api('items?offset=-5')), 400, 'INVALID_REQUEST')


# --- validation, versions, patch -------------------------------------------------------------


@pytest.mark.parametrize('payload, field', [
    ({'name': 7}, 'name'),
    ({'name': 'x', 'price': 'cheap'}, 'price'),
    ({'name': 'x', 'price': True}, 'price'),
    ({'name': 'x', 'released': '2024-13-01T00:00:00Z'}, 'released'),
    ({'name': 'x', 'status': ['a']}, 'status'),
    ({'price': 1}, 'name'),
    ({'name': None}, 'name'),
])
def test_wrong_types_are_422(raw, payload, field):
    error = assert_error(raw.post(api('products'), payload), 422, 'VALIDATION_FAILED')
    assert any(field in e for e in error['errors']), error


def test_bulk_errors_name_each_item(raw):
    tag = tagged()
    error = assert_error(raw.post(api('products'), [
        {'name': 'ok', 'tag': tag}, {'tag': tag}, {'name': 'ok2', 'tag': tag}, {'name': 5, 'tag': tag},
    ]), 422, 'VALIDATION_FAILED')
    item_errors = [e for e in error['errors'] if re.match(r'item \d+', e)]
    assert len(item_errors) == 2, error
    numbers = sorted(int(re.match(r'item (\d+)', e).group(1)) for e in item_errors)
    assert numbers in ([1, 3], [2, 4]), numbers
    listed = assert_json(raw.get(api(f'products?eq(tag,{tag})')), 200)
    assert listed == []


def test_etag_tracks_version(raw):
    product = create_product(raw)
    path = api(f'products/{product["id"]}')
    for expected in (1, 2, 3):
        response = raw.get(path)
        body = assert_json(response, 200)
        assert body['_meta']['version'] == expected
        assert response.header('etag') == f'"{expected}"'
        update = raw.put(path, {'status': f's{expected}'})
        assert update.header('etag') == f'"{expected + 1}"'


def test_if_match(raw):
    product = create_product(raw, status='a')
    path = api(f'products/{product["id"]}')
    assert_error(raw.put(path, {'status': 'b'}, headers={'If-Match': '"7"'}), 412, 'VERSION_MISMATCH')
    assert raw.get(path).json()['status'] == 'a'
    response = raw.put(path, {'status': 'b'}, headers={'If-Match': '"1"'})
    assert assert_json(response, 200)['status'] == 'b'
    assert response.header('etag') == '"2"'
    assert_error(raw.put(path, {'status': 'c'}, headers={'If-Match': '"1"'}), 412, 'VERSION_MISMATCH')
    assert_error(raw.patch(path, {'status': 'c'}, headers={'If-Match': '"1"'}), 412, 'VERSION_MISMATCH')
    assert_error(raw.delete(path, headers={'If-Match': '"1"'}), 412, 'VERSION_MISMATCH')
    assert raw.get(path).json()['_meta']['version'] == 2
    response = raw.patch(path, {'status': 'c'}, headers={'If-Match': '"2"'})
    assert assert_json(response, 200)['status'] == 'c'
    assert raw.delete(path, headers={'If-Match': '"3"'}).status == 204
    assert raw.get(path).status == 404


def test_merge_patch(raw):
    product = create_product(raw, description='gone soon', meta={'a': 1, 'b': 2, 'deep': {'x': 1, 'y': 2}},
                             price=1)
    path = api(f'products/{product["id"]}')
    patch = {'description': None, 'meta': {'a': None, 'c': 3, 'deep': {'x': None}}, 'price': 2.5}
    response = raw.patch(path, patch, content_type='application/merge-patch+json')
    patched = assert_json(response, 200)
    assert 'description' not in patched
    assert patched['meta'] == {'b': 2, 'c': 3, 'deep': {'y': 2}}
    assert patched['price'] == 2.5 and patched['name'] == 'edge'
    assert patched['_meta']['version'] == 2
    assert raw.get(path).json() == patched
    response = raw.patch(path, {'meta': 'replaced', 'list': [1, {'a': None}]})
    patched = assert_json(response, 200)
    assert patched['meta'] == 'replaced' and patched['list'] == [1, {'a': None}]
    assert_error(raw.patch(path, {'name': None}), 422, 'VALIDATION_FAILED')
    assert_error(raw.patch(path, {'price': 'x'}), 422, 'VALIDATION_FAILED')
    assert_error(raw.patch(api('products/PRD-000-000-009'), {'status': 'x'}), 404, 'NOT_FOUND')


def test_put_with_id_in_body_uses_path(raw):
    first = create_product(raw, status='one')
    second = create_product(raw, status='two')
    response = raw.put(api(f'products/{first["id"]}'), {'id': second['id'], 'status': 'changed'})
    assert response.status in (200, 400, 422), response
    if response.status == 200:
        assert response.json()['id'] == first['id']
    assert raw.get(api(f'products/{second["id"]}')).json()['status'] == 'two'


def test_bulk_update_and_delete_raw(raw):
    tag = tagged()
    created = assert_json(raw.post(api('items'), [{'tag': tag, 'n': n} for n in range(3)]), 201)
    updated = assert_json(raw.put(api('items'), [{'id': c['id'], 'n': c['n'] * 10} for c in created]), 200)
    assert [u['n'] for u in updated] == [0, 10, 20]
    response = raw.delete(api('items'), [{'id': created[0]['id']}, {'id': created[1]['id']}])
    assert response.status == 204 and response.body == b''
    remaining = assert_json(raw.get(api(f'items?eq(tag,{tag})')), 200)
    assert [r['id'] for r in remaining] == [created[2]['id']]


def test_action_with_empty_body(raw):
    product = create_product(raw, status='published')
    path = api(f'products/{product["id"]}/endsale')
    response = raw.request('POST', path)  # Content-Length: 0, no Content-Type
    assert assert_json(response, 200)['status'] == 'endofsale'
    assert_error(raw.request('POST', path), 409, 'ACTION_CONDITION_FAILED')


def test_collection_action_raw(raw):
    tag = tagged()
    for status in ('draft', 'draft', 'published'):
        create_product(raw, tag=tag, status=status)
    response = raw.request('POST', api(f'products/discontinue?eq(tag,{tag})'))
    assert assert_json(response, 200) == {'updated': 2}
    rows = assert_json(raw.get(api(f'products?eq(tag,{tag})&eq(status,discontinued)')), 200)
    assert len(rows) == 2


# --- concurrency -----------------------------------------------------------------------------


def test_concurrent_if_match_only_one_wins(raw):
    product = create_product(raw, status='start')
    path = api(f'products/{product["id"]}')
    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(
            lambda n: raw.put(path, {'status': f'writer{n}'}, headers={'If-Match': '"1"'}), range(16)))
    statuses = sorted(r.status for r in responses)
    assert statuses.count(200) == 1, statuses
    assert statuses.count(412) == 15, statuses
    winner = next(r for r in responses if r.status == 200).json()
    final = raw.get(path).json()
    assert final['_meta']['version'] == 2 and final['status'] == winner['status']


def test_concurrent_patches_lose_no_update(raw):
    product = create_product(raw)
    path = api(f'products/{product["id"]}')
    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(lambda n: raw.patch(path, {f'field{n}': n}), range(24)))
    assert all(r.status == 200 for r in responses), [r for r in responses if r.status != 200][:3]
    final = raw.get(path).json()
    assert final['_meta']['version'] == 25
    assert all(final.get(f'field{n}') == n for n in range(24)), final
    assert sorted(r.json()['_meta']['version'] for r in responses) == list(range(2, 26))


def test_concurrent_creates_get_unique_ids(raw):
    tag = tagged()
    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(lambda n: raw.post(api('products'), {'name': f'c{n}', 'tag': tag}), range(60)))
    assert all(r.status == 201 for r in responses)
    created_ids = [r.json()['id'] for r in responses]
    assert len(set(created_ids)) == 60
    listed = assert_json(raw.get(api(f'products?eq(tag,{tag})&limit=1000')), 200)
    assert sorted(p['id'] for p in listed) == sorted(created_ids)


# --- routing ---------------------------------------------------------------------------------


def test_unknown_paths_are_404(raw):
    product = create_product(raw)
    for path in ('/api/v1/nosuch', '/nope', '/api/v1/devops',
                 '/api/v1/devops/nosuch', f'/api/v1/products/{product["id"]}/nosuch/x/y',
                 '/api/v1/products/PRD-000-000-010'):
        assert_error(raw.get(path), 404)


def test_unknown_paths_outside_the_api_are_json_404(raw):
    for path in ('/api/v2/products', '/a/b', '/health/x'):
        assert_error(raw.get(path), 404)


def test_wrong_method_is_405(raw):
    product = create_product(raw)
    assert_error(raw.patch(api('products'), {'name': 'x'}), 405, 'METHOD_NOT_ALLOWED')
    assert_error(raw.post(api(f'products/{product["id"]}'), {'name': 'x'}), 405, 'METHOD_NOT_ALLOWED')


def test_wrong_method_on_health_is_405(raw):
    assert_error(raw.request('DELETE', '/health'), 405, 'METHOD_NOT_ALLOWED')
    assert_error(raw.post('/health', {}), 405, 'METHOD_NOT_ALLOWED')


def test_unsupported_media_type_is_415(raw):
    tag = tagged()
    body = json.dumps({'name': 'x', 'tag': tag})
    assert_error(raw.post(api('products'), body, content_type='text/plain'), 415, 'UNSUPPORTED_MEDIA_TYPE')
    assert_error(raw.post(api('products'), body, content_type='application/x-www-form-urlencoded'),
                 415, 'UNSUPPORTED_MEDIA_TYPE')
    product = create_product(raw)
    assert_error(raw.put(api(f'products/{product["id"]}'), body, content_type='application/xml'),
                 415, 'UNSUPPORTED_MEDIA_TYPE')
    assert assert_json(raw.get(api(f'products?eq(tag,{tag})')), 200) == []


def test_responses_are_json(raw):
    product = create_product(raw)
    for path in ('/health', api('products?limit=1'), api(f'products/{product["id"]}'), api('openapi.json')):
        assert_json(raw.get(path), 200)
    response = raw.delete(api(f'products/{product["id"]}'))
    assert response.status == 204 and response.body == b''


# --- must stay last --------------------------------------------------------------------------


def test_zz_server_survived_and_data_intact(raw, survivor):
    created, _ = survivor
    assert assert_json(raw.get('/health'), 200) == {'status': 'ok'}
    response = raw.get(api(f'products/{created["id"]}'))
    fetched = assert_json(response, 200)
    assert fetched == created
    assert f'"price":{EXACT_PRICE}' in response.text.replace(' ', '')
