"""EntityHub's NGSI-LD API (`/ngsi-ld/v1`) driven by the unmodified PyPI client ngsildclient 0.5.2.

Runs in its own venv, ``.build/ngsild-venv`` (``Tests/client/requirements-ngsild.txt``; ngsildclient pins an
httpx the Connect client cannot use), against the session ``server`` of conftest: the release
``entityhub serve`` on 127.0.0.1, once on SQLite and once on PostgreSQL. Every client signs in through
ngsildclient's ``custom_auth`` with the admin key; raw HTTP checks send the same ``Authorization``.
Entity types carry a random suffix per run, so the tests never see each other's (or an earlier run's)
entities although they share one store. Covers the table of §7.1 of the protocol reference
(``shared/reference/ngsild.md``) with the status codes and bodies of §2 and §6, the async client, one
entity read and patched through ``/api/v1/ngsild``, and a 2,000-entity batch in one request.
"""

import json
import random
from urllib.parse import unquote

import pytest
import requests
from ngsildclient import Entity
from ngsildclient.api.exceptions import (
    NgsiAlreadyExistsError,
    NgsiBadRequestDataError,
    NgsiInvalidRequestError,
    NgsiNotConnectedError,
    NgsiResourceNotFoundError,
)

from conftest import API_KEY
from ngsildhelpers import (
    CORE_CONTEXT,
    CORE_CONTEXT_URL,
    CORE_CONTEXT_V18,
    DEFAULT_VOCAB,
    HTTP_TIMEOUT,
    ISO_UTC_MS,
    NGSILD,
    VERSIONED_CORE_CONTEXT_URL,
    check_batch_error,
    check_context_error,
    check_empty,
    check_exchange_problem,
    check_response_problem,
    connect,
    connect_async,
    context_link,
    context_urls,
    entity_url,
    link_context,
    media_type,
    paging_links,
    rest_url,
    sent,
    unique_type,
    without_context,
)

ROOMS = 250
OBSERVED = '2024-01-02T03:04:05Z'


@pytest.fixture
def ngsi(server):
    """An ngsildclient ``Client`` signed in as the admin (``client.recorder`` holds every exchange)."""
    client = connect(server)
    yield client
    client.close()


def admin(headers=None):
    return {'Authorization': API_KEY, **(headers or {})}


def http(method, url, **kwargs):
    kwargs['headers'] = admin(kwargs.get('headers'))
    kwargs.setdefault('timeout', HTTP_TIMEOUT)
    return requests.request(method, url, **kwargs)


def get_doc(client, entity_id, **params):
    """The entity as ngsildclient's ``get`` returns it (a plain dict)."""
    return client.get(entity_id, asdict=True, params=params) if params else client.get(entity_id, asdict=True)


def ids_of(entities):
    return [entity.id for entity in entities]


# --- connecting and signing in -----------------------------------------------------------------


def test_client_connects_with_the_count_query(server):
    client = connect(server)
    try:
        client.recorder.clear()
        assert client.is_connected() is True
        exchange = client.recorder.last
        assert exchange.method == 'GET' and exchange.path == f'{NGSILD}/entities'
        assert exchange.params == {'type': 'None', 'limit': '0', 'count': 'true'}
        assert exchange.request_headers['Authorization'] == API_KEY  # custom_auth reached requests
        assert 'Content-Type' not in exchange.request_headers
        assert exchange.status == 200
        assert exchange.headers['NGSILD-Results-Count'] == '0'
        assert exchange.json() == []
    finally:
        client.close()


def test_connect_query_as_json(server):
    """The connection check as a plain JSON client sees it (§2.2, §2.3, §5.2)."""
    response = http('GET', f'{server}{NGSILD}/entities', params={'type': 'None', 'limit': 0, 'count': 'true'},
                    headers={'Accept': 'application/json'})
    assert response.status_code == 200, response.text
    assert response.headers['Content-Type'] == 'application/json'
    assert response.json() == []
    assert response.headers['NGSILD-Results-Count'] == '0'
    assert CORE_CONTEXT_URL.match(link_context(response.headers) or ''), response.headers.get('Link')
    assert 'type="application/ld+json"' in response.headers['Link'].replace(' ', '')


def test_a_wrong_key_is_refused(server):
    with pytest.raises(NgsiNotConnectedError):
        connect(server, authorization='ApiKey SU-000:wrong')
    response = http('GET', f'{server}{NGSILD}/entities', params={'type': 'T', 'limit': 0, 'count': 'true'},
                    headers={'Authorization': 'ApiKey SU-000:wrong', 'Accept': 'application/json'})
    check_response_problem(response, 401, 'urn:entityhub:error:unauthenticated')


# --- one entity at a time --------------------------------------------------------------------


def make_room(entity_type, name):
    room = Entity(entity_type, name)
    room.prop('temperature', 21.5, observedat=OBSERVED, unitcode='CEL').prop('accuracy', 0.95, nested=True)
    room.gprop('location', (52.5547, 13.3986))
    room.rel('isIn', 'Building:B1')
    room.tprop('dateObserved', OBSERVED)
    room.prop('count', 4).prop('ok', False).prop('name', 'Room one')
    return room


def test_create_get_exists_delete(ngsi):
    entity_type = unique_type('Room')
    room = make_room(entity_type, 'r1')
    assert sent(room)['@context'] == [CORE_CONTEXT]

    assert ngsi.create(room) is True
    created = ngsi.recorder.last
    assert (created.method, created.path) == ('POST', f'{NGSILD}/entities/')
    assert created.request_headers['Content-Type'] == 'application/ld+json'
    assert created.request_headers['Authorization'] == API_KEY
    check_empty(created, 201)
    assert unquote(created.headers['Location']) == f'{NGSILD}/entities/{room.id}'

    assert ngsi.exists(room) is True
    looked = ngsi.recorder.last
    assert looked.request_headers['Content-Type'] == 'application/ld+json'  # on a GET: ignored (§2.1)
    assert looked.status == 200

    document = get_doc(ngsi, room.id)
    read = ngsi.recorder.last
    assert read.path == f'{NGSILD}/entities/{room.id}'
    assert media_type(read.headers) == 'application/ld+json'
    assert 'Link' not in read.headers
    assert without_context(document) == without_context(sent(room))
    contexts = context_urls(document['@context'])
    assert len(contexts) == 1 and VERSIONED_CORE_CONTEXT_URL.match(contexts[0]), document['@context']
    assert type(document['count']['value']) is int and document['ok']['value'] is False
    assert document['dateObserved']['value'] == {'@type': 'DateTime', '@value': OBSERVED}
    assert document['location']['value'] == {'type': 'Point', 'coordinates': [13.3986, 52.5547]}
    assert 'createdAt' not in document and 'createdAt' not in document['temperature']

    entity = ngsi.get(room.id)
    assert entity.id == room.id and entity.type == entity_type
    assert entity['temperature.value'] == 21.5 and entity['temperature.accuracy.value'] == 0.95

    assert ngsi.delete(room) is True
    deleted = ngsi.recorder.last
    assert (deleted.method, deleted.path) == ('DELETE', f'{NGSILD}/entities/{room.id}')
    assert deleted.request_headers['Content-Type'] == 'application/ld+json'  # on a DELETE: ignored
    check_empty(deleted, 204)

    assert ngsi.exists(room) is False
    check_exchange_problem(ngsi.recorder.last, 404, 'ResourceNotFound', mentions=room.id)
    with pytest.raises(NgsiResourceNotFoundError) as info:
        ngsi.get(room.id)
    check_context_error(info.value, 'ResourceNotFound', 404)
    check_exchange_problem(ngsi.recorder.last, 404, 'ResourceNotFound', mentions=room.id)
    with pytest.raises(NgsiResourceNotFoundError):
        ngsi.delete(room)
    check_exchange_problem(ngsi.recorder.last, 404, 'ResourceNotFound', mentions=room.id)


def test_duplicate_create_is_409(ngsi):
    entity_type = unique_type('Room')
    room = Entity(entity_type, 'dup').prop('temperature', 20).prop('humidity', 40)
    assert ngsi.create(room) is True

    with pytest.raises(NgsiAlreadyExistsError) as info:
        ngsi.create(room)
    check_context_error(info.value, 'AlreadyExists', 409)
    check_exchange_problem(ngsi.recorder.last, 409, 'AlreadyExists', mentions=room.id)

    assert ngsi.entities.create(room, skip=True) is False
    assert ngsi.recorder.last.status == 409

    # client-side upsert: POST, 409, DELETE, POST
    replacement = Entity(entity_type, 'dup').prop('humidity', 55)
    ngsi.recorder.clear()
    assert ngsi.upsert(replacement) is True
    steps = [(e.method, e.status) for e in ngsi.recorder.exchanges]
    assert steps == [('POST', 409), ('DELETE', 204), ('POST', 201)]
    assert without_context(get_doc(ngsi, room.id)) == without_context(sent(replacement))

    # client-side update: GET (exists), DELETE, POST
    again = Entity(entity_type, 'dup').prop('temperature', 18)
    ngsi.recorder.clear()
    assert ngsi.update(again) is True
    steps = [(e.method, e.status) for e in ngsi.recorder.exchanges]
    assert steps == [('GET', 200), ('DELETE', 204), ('POST', 201)]
    assert without_context(get_doc(ngsi, room.id)) == without_context(sent(again))


# --- batch operations (§6) ---------------------------------------------------------------------


def test_batch_create_201_then_207(ngsi):
    entity_type = unique_type('Room')
    rooms = [Entity(entity_type, f'b{n}').prop('temperature', n) for n in range(3)]
    result = ngsi.create(rooms)
    exchange = ngsi.recorder.last
    assert (exchange.method, exchange.path) == ('POST', f'{NGSILD}/entityOperations/create/')
    assert exchange.request_headers['Content-Type'] == 'application/ld+json'
    assert [item['@context'] for item in exchange.request_json()] == [[CORE_CONTEXT]] * 3
    assert exchange.status == 201, exchange
    assert media_type(exchange.headers) == 'application/json' and 'Link' not in exchange.headers
    assert sorted(exchange.json()) == sorted(ids_of(rooms))
    assert result.ok and sorted(result.success) == sorted(ids_of(rooms))
    for room in rooms:
        assert without_context(get_doc(ngsi, room.id)) == without_context(sent(room))

    clash = Entity(entity_type, 'b2').prop('temperature', 99)
    fresh = Entity(entity_type, 'b3').prop('temperature', 3)
    result = ngsi.create([clash, fresh])
    exchange = ngsi.recorder.last
    assert exchange.status == 207, exchange
    assert media_type(exchange.headers) == 'application/json' and 'Link' not in exchange.headers
    assert set(exchange.json()) == {'success', 'errors'}
    assert result.success == [fresh.id]
    assert len(result.errors) == 1
    check_batch_error(result.errors[0], clash.id, 'AlreadyExists', 409)
    assert get_doc(ngsi, clash.id)['temperature']['value'] == 2  # untouched

    # the same id twice in one array (5.5.11): the first creates, the second is AlreadyExists
    twice = Entity(entity_type, 'b4').prop('temperature', 4)
    result = ngsi.create([twice, twice])
    assert ngsi.recorder.last.status == 207
    assert result.success == [twice.id]
    assert len(result.errors) == 1
    check_batch_error(result.errors[0], twice.id, 'AlreadyExists', 409)

    # 207 even when nothing succeeded
    result = ngsi.create([rooms[0]])
    assert ngsi.recorder.last.status == 207
    assert result.success == [] and len(result.errors) == 1
    check_batch_error(result.errors[0], rooms[0].id, 'AlreadyExists', 409)


def test_batch_upsert_replace_and_update(ngsi):
    entity_type = unique_type('Room')
    first = Entity(entity_type, 'u1').prop('temperature', 20).prop('humidity', 50)
    second = Entity(entity_type, 'u2').prop('temperature', 21)
    assert ngsi.create([first, second]).ok
    before = get_doc(ngsi, first.id, options='sysAttrs')
    assert before['createdAt'] and ISO_UTC_MS.match(before['temperature']['createdAt']), before

    # replace (the default): attributes missing from the fragment disappear; all existed → 204
    replaced = Entity(entity_type, 'u1').prop('temperature', 30)
    result = ngsi.upsert([replaced])
    exchange = ngsi.recorder.last
    assert (exchange.method, exchange.path) == ('POST', f'{NGSILD}/entityOperations/upsert/')
    assert exchange.params == {'options': 'replace'}
    check_empty(exchange, 204)
    assert result.success == [first.id]
    assert without_context(get_doc(ngsi, first.id)) == without_context(sent(replaced))
    after = get_doc(ngsi, first.id, options='sysAttrs')
    assert after['createdAt'] == before['createdAt']
    assert after['temperature']['createdAt'] == before['temperature']['createdAt']
    assert 'humidity' not in after

    # update: merges into what is there
    merged = Entity(entity_type, 'u1').prop('pressure', 1013)
    result = ngsi.upsert([merged], update=True)
    exchange = ngsi.recorder.last
    assert exchange.params == {'options': 'update'}
    check_empty(exchange, 204)
    document = without_context(get_doc(ngsi, first.id))
    assert document == {'id': first.id, 'type': entity_type,
                        'temperature': {'type': 'Property', 'value': 30},
                        'pressure': {'type': 'Property', 'value': 1013}}

    # new and existing mixed → 201 listing only the new ids
    fresh = [Entity(entity_type, f'u{n}').prop('temperature', n) for n in (3, 4)]
    result = ngsi.upsert([Entity(entity_type, 'u2').prop('temperature', 22)] + fresh)
    exchange = ngsi.recorder.last
    assert exchange.status == 201, exchange
    assert media_type(exchange.headers) == 'application/json'
    assert sorted(exchange.json()) == sorted(ids_of(fresh))
    assert sorted(result.success) == sorted(ids_of(fresh))
    assert get_doc(ngsi, second.id)['temperature']['value'] == 22
    for room in fresh:
        assert without_context(get_doc(ngsi, room.id)) == without_context(sent(room))


def test_batch_update_overwrite_and_no_overwrite(ngsi):
    entity_type = unique_type('Room')
    first = Entity(entity_type, 'p1').prop('temperature', 20).prop('humidity', 50)
    second = Entity(entity_type, 'p2').prop('temperature', 21)
    assert ngsi.create([first, second]).ok

    # overwrite (the default): existing attributes replaced, new ones appended, the rest kept → 204
    result = ngsi.update([Entity(entity_type, 'p1').prop('temperature', 25).prop('co2', 400)])
    exchange = ngsi.recorder.last
    assert (exchange.method, exchange.path) == ('POST', f'{NGSILD}/entityOperations/update/')
    assert exchange.params == {}
    check_empty(exchange, 204)
    assert result.ok
    document = get_doc(ngsi, first.id)
    assert document['temperature']['value'] == 25 and document['co2']['value'] == 400
    assert document['humidity']['value'] == 50

    # noOverwrite on existing attributes only: 207, BadRequestData for the entity, nothing changed
    result = ngsi.update([Entity(entity_type, 'p1').prop('temperature', 99)], overwrite=False)
    exchange = ngsi.recorder.last
    assert exchange.params == {'options': 'noOverwrite'}
    assert exchange.status == 207, exchange
    assert first.id not in result.success
    assert len(result.errors) == 1
    check_batch_error(result.errors[0], first.id, 'BadRequestData', 400)
    assert get_doc(ngsi, first.id)['temperature']['value'] == 25

    # noOverwrite with new and existing attributes: 207; the new one is appended, the existing one kept
    result = ngsi.update([Entity(entity_type, 'p1').prop('temperature', 98).prop('noise', 30)], overwrite=False)
    assert ngsi.recorder.last.status == 207
    assert [error['entityId'] for error in result.errors] == [first.id]
    check_batch_error(result.errors[0], first.id, 'BadRequestData', 400)
    document = get_doc(ngsi, first.id)
    assert document['temperature']['value'] == 25 and document['noise']['value'] == 30

    # noOverwrite with new attributes only: 204
    result = ngsi.update([Entity(entity_type, 'p2').prop('light', 300)], overwrite=False)
    check_empty(ngsi.recorder.last, 204)
    assert get_doc(ngsi, second.id)['light']['value'] == 300

    # an unknown entity: 207 ResourceNotFound for it, the known one is updated
    ghost = Entity(entity_type, 'ghost').prop('temperature', 1)
    result = ngsi.update([Entity(entity_type, 'p2').prop('temperature', 22), ghost])
    assert ngsi.recorder.last.status == 207
    assert result.success == [second.id]
    assert len(result.errors) == 1
    check_batch_error(result.errors[0], ghost.id, 'ResourceNotFound', 404)
    assert get_doc(ngsi, second.id)['temperature']['value'] == 22
    assert ngsi.exists(ghost) is False


def test_batch_delete(ngsi):
    entity_type = unique_type('Room')
    rooms = [Entity(entity_type, f'd{n}').prop('temperature', n) for n in range(4)]
    assert ngsi.create(rooms).ok
    ghost = Entity(entity_type, 'ghost')

    result = ngsi.delete([rooms[0], ghost])
    exchange = ngsi.recorder.last
    assert (exchange.method, exchange.path) == ('POST', f'{NGSILD}/entityOperations/delete/')
    assert exchange.request_headers['Content-Type'] == 'application/ld+json'  # and no @context (§2.3)
    assert exchange.request_json() == [rooms[0].id, ghost.id]
    assert exchange.status == 207, exchange
    assert media_type(exchange.headers) == 'application/json'
    assert result.success == [rooms[0].id]
    assert len(result.errors) == 1
    check_batch_error(result.errors[0], ghost.id, 'ResourceNotFound', 404)
    assert ngsi.exists(rooms[0]) is False

    # the same id twice: the first deletes, the second is ResourceNotFound (5.5.11)
    result = ngsi.delete([rooms[1], rooms[1]])
    assert ngsi.recorder.last.status == 207
    assert result.success == [rooms[1].id]
    assert len(result.errors) == 1
    check_batch_error(result.errors[0], rooms[1].id, 'ResourceNotFound', 404)

    result = ngsi.delete(rooms[2:])
    check_empty(ngsi.recorder.last, 204)
    assert result.ok
    assert ngsi.count(type=entity_type) == 0


# --- count, query, paging, q (§5) ----------------------------------------------------------------


def level(n):
    return n % 10


def label(n):
    return f'room-{n:03d}'


def building(n):
    return f'urn:ngsi-ld:Building:B{n % 5}'


@pytest.fixture(scope='module')
def rooms(server):
    """250 entities of one type, created through ngsildclient in 3 batches (100, 100, 50) in shuffled order."""
    entity_type = unique_type('Room')
    entities = []
    for n in range(ROOMS):
        room = Entity(entity_type, f'E{n:03d}')
        room.prop('level', level(n)).prop('label', label(n)).prop('even', n % 2 == 0)
        room.rel('building', building(n))
        if n % 50 == 0:
            room.prop('extra', 'x')
        entities.append(room)
    shuffled = list(entities)
    random.Random(7).shuffle(shuffled)
    client = connect(server)
    try:
        client.recorder.clear()
        result = client.create(shuffled)
        posts = [(e.path, e.status, len(e.request_json())) for e in client.recorder.exchanges]
        assert posts == [(f'{NGSILD}/entityOperations/create/', 201, size) for size in (100, 100, 50)], posts
        assert result.ok and len(result.success) == ROOMS
    finally:
        client.close()
    return {'type': entity_type, 'ids': [room.id for room in entities]}


def test_count(ngsi, rooms):
    assert ngsi.count(type=rooms['type']) == ROOMS
    exchange = ngsi.recorder.last
    assert exchange.params == {'limit': '0', 'count': 'true', 'type': rooms['type']}
    assert exchange.status == 200
    assert exchange.headers['NGSILD-Results-Count'] == str(ROOMS)
    assert exchange.json() == []
    assert ngsi.count(type=unique_type('Nothing')) == 0


def test_query_three_pages(ngsi, rooms):
    ngsi.recorder.clear()
    entities = ngsi.query(type=rooms['type'])
    assert ids_of(entities) == sorted(rooms['ids'])  # all of them, each once, ordered by id
    count, *pages = ngsi.recorder.exchanges
    assert count.params == {'limit': '0', 'count': 'true', 'type': rooms['type']}
    assert [page.params for page in pages] == [
        {'limit': '100', 'type': rooms['type']},
        {'limit': '100', 'offset': '100', 'type': rooms['type']},
        {'limit': '100', 'offset': '200', 'type': rooms['type']},
    ]
    assert [page.status for page in pages] == [200, 200, 200]
    assert [len(page.json()) for page in pages] == [100, 100, 50]
    for page in pages:
        assert media_type(page.headers) == 'application/ld+json'
        assert all('@context' in item for item in page.json())
    first = entities[0].to_dict()
    assert first['level']['value'] == 0 and first['label']['value'] == 'room-000' and first['even']['value'] is True
    assert first['building']['object'] == building(0) and first['extra']['value'] == 'x'


def test_query_head(ngsi, rooms):
    entities = ngsi.query_head(type=rooms['type'], n=5)
    assert ngsi.recorder.last.params == {'limit': '5', 'type': rooms['type']}
    assert ids_of(entities) == sorted(rooms['ids'])[:5]


def test_paging_links(server, rooms):
    """§5.5: next/prev links with every parameter sorted by name, and the context link, in one header."""
    url = f'{server}{NGSILD}/entities'
    expected = {
        0: {'next': 100},
        100: {'prev': 0, 'next': 200},
        200: {'prev': 100},
    }
    entity_type = rooms['type']
    for offset, links in expected.items():
        params = {'type': entity_type, 'limit': 100, 'count': 'true'}
        if offset:
            params['offset'] = offset
        response = http('GET', url, params=params, headers={'Accept': 'application/json'})
        assert response.status_code == 200, response.text
        assert response.headers['NGSILD-Results-Count'] == str(ROOMS)
        assert len(response.json()) == min(100, ROOMS - offset)
        assert paging_links(response.headers) == {
            rel: f'{NGSILD}/entities?count=true&limit=100&offset={target}&type={entity_type}'
            for rel, target in links.items()
        }, response.headers.get('Link')
        assert CORE_CONTEXT_URL.match(link_context(response.headers) or ''), response.headers.get('Link')
    zero = http('GET', url, params={'type': entity_type, 'limit': 0, 'count': 'true'},
                headers={'Accept': 'application/json'})
    assert zero.status_code == 200 and zero.json() == []
    assert paging_links(zero.headers) == {}


Q_CASES = [
    ('level>=7', lambda n: level(n) >= 7),
    ('level>=7;even==true', lambda n: level(n) >= 7 and n % 2 == 0),
    ('level==1|level==2', lambda n: level(n) in (1, 2)),
    ('(level==1|level==2);even==true', lambda n: level(n) == 2),
    ('level!=0;level<3', lambda n: level(n) in (1, 2)),
    ('level==5..9', lambda n: 5 <= level(n) <= 9),
    ('level==1,3,5', lambda n: level(n) in (1, 3, 5)),
    ('label=="room-042"', lambda n: n == 42),
    ('label~=^room-00', lambda n: n < 10),
    ('even==false;label~=5$', lambda n: level(n) == 5),
    ('extra', lambda n: n % 50 == 0),
    ('building==urn:ngsi-ld:Building:B2', lambda n: n % 5 == 2),
    ('building=="urn:ngsi-ld:Building:B2"', lambda n: n % 5 == 2),
    ('building==urn:ngsi-ld:Building:B1|building==urn:ngsi-ld:Building:B3', lambda n: n % 5 in (1, 3)),
    ('level>100', lambda n: False),
]


@pytest.mark.parametrize('q, matches', Q_CASES, ids=[case[0] for case in Q_CASES])
def test_q(ngsi, rooms, q, matches):
    expected = sorted(entity_id for n, entity_id in enumerate(rooms['ids']) if matches(n))
    assert ngsi.count(type=rooms['type'], q=q) == len(expected)
    assert ngsi.recorder.last.params == {'limit': '0', 'count': 'true', 'type': rooms['type'], 'q': q}
    assert ids_of(ngsi.query(type=rooms['type'], q=q)) == expected


def test_bad_q_is_400_with_the_position(ngsi, rooms):
    with pytest.raises(NgsiBadRequestDataError) as info:
        ngsi.count(type=rooms['type'], q='level>>3')
    details = check_context_error(info.value, 'BadRequestData', 400)
    assert 'position' in (details.detail or ''), details


def test_post_query(ngsi, rooms):
    """POST /entityOperations/query (ngsildclient's `alt`): count and three pages."""
    query = {'type': 'Query', 'entities': [{'type': rooms['type']}]}
    assert ngsi.alt.count(query) == ROOMS
    exchange = ngsi.recorder.last
    assert (exchange.method, exchange.path) == ('POST', f'{NGSILD}/entityOperations/query')
    assert exchange.params == {'limit': '0', 'count': 'true'}
    assert exchange.request_headers['Content-Type'] == 'application/json'
    assert exchange.request_json() == query
    assert exchange.headers['NGSILD-Results-Count'] == str(ROOMS)

    assert ngsi.alt.count({**query, 'q': 'level>=7'}) == 75

    ngsi.recorder.clear()
    entities = ngsi.alt.query(query)
    assert ids_of(entities) == sorted(rooms['ids'])
    pages = ngsi.recorder.exchanges[1:]
    assert [page.params for page in pages] == [{'limit': '100'}, {'limit': '100', 'offset': '100'},
                                               {'limit': '100', 'offset': '200'}]
    assert [len(page.json()) for page in pages] == [100, 100, 50]

    head = ngsi.alt.query_head({**query, 'q': 'level==3'}, n=4)
    expected = sorted(entity_id for n, entity_id in enumerate(rooms['ids']) if level(n) == 3)[:4]
    assert ids_of(head) == expected


def test_types_and_drop(server, ngsi, rooms):
    other = unique_type('Lamp')
    lamps = [Entity(other, f'l{n}').prop('power', n) for n in range(3)]
    assert ngsi.create(lamps).ok

    types = ngsi.types.list()
    exchange = ngsi.recorder.last
    assert exchange.path == f'{NGSILD}/types' and exchange.status == 200
    body = exchange.json()
    assert body['type'] == 'EntityTypeList' and body['id'].startswith('urn:ngsi-ld:EntityTypeList:')
    assert rooms['type'] in types and other in types  # compacted with the core context
    assert DEFAULT_VOCAB + other not in types
    assert len(types) == len(set(types))

    info = http('GET', f'{server}{NGSILD}/types/{rooms["type"]}', headers={'Accept': 'application/json'})
    assert info.status_code == 200, info.text
    details = info.json()
    assert details['type'] == 'EntityTypeInfo' and details['typeName'] == rooms['type']
    assert details['id'] == DEFAULT_VOCAB + rooms['type']
    assert details['entityCount'] == ROOMS
    assert {item['attributeName'] for item in details['attributeDetails']} == {
        'level', 'label', 'even', 'building', 'extra'}

    # drop: a query, then a batch delete of what it found
    ngsi.recorder.clear()
    ngsi.drop(other)
    deletes = [e for e in ngsi.recorder.exchanges if e.path == f'{NGSILD}/entityOperations/delete/']
    assert len(deletes) == 1
    assert sorted(deletes[0].request_json()) == sorted(ids_of(lamps))
    check_empty(deletes[0], 204)
    assert ngsi.count(type=other) == 0
    assert other not in ngsi.types.list()
    assert rooms['type'] in ngsi.types.list()
    assert ngsi.count(type=rooms['type']) == ROOMS


# --- the async client ------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_async_client(server):
    entity_type = unique_type('Sensor')
    client = connect_async(server)
    try:
        sensor = Entity(entity_type, 'a1').prop('temperature', 20, observedat=OBSERVED, unitcode='CEL')
        sensor.gprop('location', (45.0, 5.0))
        assert await client.create(sensor) is True
        created = client.recorder.last
        assert (created.method, created.path) == ('POST', f'{NGSILD}/entities/')
        assert created.request_headers['Authorization'] == API_KEY  # custom_auth reached httpx
        check_empty(created, 201)

        document = await client.get(sensor.id, asdict=True)
        assert without_context(document) == without_context(sent(sensor))
        assert await client.exists(sensor) is True

        batch = [Entity(entity_type, f'a{n}').prop('temperature', 20 + n) for n in range(2, 7)]
        result = await client.create(batch)
        assert client.recorder.last.status == 201
        assert result.ok and sorted(result.success) == sorted(ids_of(batch))

        assert await client.count(type=entity_type) == 6
        counted = client.recorder.last
        assert counted.request_headers['Accept'] == 'application/json'
        assert media_type(counted.headers) == 'application/json'
        assert CORE_CONTEXT_URL.match(link_context(counted.headers) or ''), counted.headers.get('Link')

        warm = await client.query(type=entity_type, q='temperature>=22')
        assert ids_of(warm) == sorted(ids_of(batch))
        head = await client.query_head(type=entity_type, n=2)
        assert ids_of(head) == sorted([sensor.id] + ids_of(batch))[:2]
        assert entity_type in await client.types.list()

        assert await client.delete(sensor) is True
        check_empty(client.recorder.last, 204)
        assert await client.exists(sensor) is False
        with pytest.raises(NgsiResourceNotFoundError):
            await client.get(sensor.id)
        check_exchange_problem(client.recorder.last, 404, 'ResourceNotFound', mentions=sensor.id)

        result = await client.delete(batch)  # sent as application/json
        check_empty(client.recorder.last, 204)
        assert await client.count(type=entity_type) == 0
    finally:
        await client.close()


# --- one entity, two APIs --------------------------------------------------------------------


def rql(server, query):
    response = http('GET', f'{server}/api/v1/ngsild?{query}')
    assert response.status_code == 200, response.text
    return [document['id'] for document in response.json()]


def test_one_entity_through_rest(server, ngsi):
    entity_type = unique_type('Room')
    room = Entity(entity_type, 'rest1').prop('temperature', 20, unitcode='CEL').rel('isIn', 'Building:B9')
    assert ngsi.create(room) is True

    response = http('GET', rest_url(server, room.id))
    assert response.status_code == 200, response.text
    document = response.json()
    assert document['id'] == room.id and document['type'] == entity_type
    assert '@context' not in document
    temperature = document['temperature']
    assert temperature['type'] == 'Property' and temperature['unitCode'] == 'CEL'
    assert temperature['value'] == 20 and type(temperature['value']) is int
    assert ISO_UTC_MS.match(temperature['createdAt']) and ISO_UTC_MS.match(temperature['modifiedAt'])
    assert document['isIn']['type'] == 'Relationship' and document['isIn']['object'] == 'urn:ngsi-ld:Building:B9'

    assert rql(server, f'and(eq(type,{entity_type}),eq(temperature.value,20))') == [room.id]

    patched = http('PATCH', rest_url(server, room.id), data=json.dumps({'temperature': {'value': 25}}),
                   headers={'Content-Type': 'application/merge-patch+json'})
    assert patched.status_code == 200, patched.text
    assert patched.json()['temperature']['value'] == 25
    assert patched.json()['temperature']['unitCode'] == 'CEL'

    seen = get_doc(ngsi, room.id)
    assert seen['temperature'] == {'type': 'Property', 'value': 25, 'unitCode': 'CEL'}
    assert seen['isIn'] == {'type': 'Relationship', 'object': 'urn:ngsi-ld:Building:B9'}
    assert rql(server, f'and(eq(type,{entity_type}),eq(temperature.value,20))') == []
    assert rql(server, f'and(eq(type,{entity_type}),eq(temperature.value,25))') == [room.id]
    assert ngsi.count(type=entity_type, q='temperature==25') == 1
    assert ngsi.count(type=entity_type, q='temperature==20') == 0


# --- 2,000 entities in one request -------------------------------------------------------------


def test_a_batch_of_2000_in_one_request(server, ngsi):
    entity_type = unique_type('Bulk')
    entities = [
        {'id': f'urn:ngsi-ld:{entity_type}:{n:05d}', 'type': entity_type,
         'temperature': {'type': 'Property', 'value': n % 40, 'unitCode': 'CEL'},
         'seq': {'type': 'Property', 'value': n},
         'location': {'type': 'GeoProperty', 'value': {'type': 'Point', 'coordinates': [2.0 + n / 10000, 48.0]}},
         '@context': [CORE_CONTEXT]}
        for n in range(2000)
    ]
    ids = [entity['id'] for entity in entities]
    body = json.dumps(entities)
    url = f'{server}{NGSILD}/entityOperations/upsert'
    headers = {'Content-Type': 'application/ld+json'}

    response = http('POST', url, data=body, headers=headers)
    assert response.status_code == 201, response.text[:1000]
    assert media_type(response.headers) == 'application/json'
    created = response.json()
    assert len(created) == 2000 and sorted(created) == ids

    assert ngsi.count(type=entity_type) == 2000
    assert ngsi.count(type=entity_type, q='temperature>=20') == 1000
    assert without_context(get_doc(ngsi, ids[1234])) == without_context(entities[1234])

    again = http('POST', url, data=body, headers=headers)  # every entity exists now
    assert again.status_code == 204, again.text[:1000]
    assert again.content == b''
    assert ngsi.count(type=entity_type) == 2000

    deleted = http('POST', f'{server}{NGSILD}/entityOperations/delete', data=json.dumps(ids),
                   headers={'Content-Type': 'application/json'})
    assert deleted.status_code == 204, deleted.text[:1000]
    assert ngsi.count(type=entity_type) == 0


# --- what a raw HTTP client notices -------------------------------------------------------------


def test_context_of_answers(server, ngsi):
    """ld+json answers carry @context (the client's exactly, else a versioned core URL); json answers a
    context Link instead (§2.3)."""
    entity_type = unique_type('Room')
    room = Entity(entity_type, 'ctx1').prop('temperature', 20)
    assert ngsi.create(room) is True
    url = entity_url(server, room.id)

    plain = http('GET', url, headers={'Accept': 'application/ld+json'})
    assert plain.status_code == 200, plain.text
    assert media_type(plain.headers) == 'application/ld+json' and 'Link' not in plain.headers
    assert VERSIONED_CORE_CONTEXT_URL.match(context_urls(plain.json()['@context'])[0])
    assert len(context_urls(plain.json()['@context'])) == 1

    linked = http('GET', url, headers={'Accept': 'application/ld+json', 'Link': context_link(CORE_CONTEXT_V18)})
    assert linked.status_code == 200, linked.text
    assert context_urls(linked.json()['@context']) == [CORE_CONTEXT_V18]

    assert context_urls(ngsi.get(room.id, ctx=CORE_CONTEXT, asdict=True)['@context']) == [CORE_CONTEXT]
    assert 'Link' in ngsi.recorder.last.request_headers

    listed = http('GET', f'{server}{NGSILD}/entities', params={'type': entity_type},
                  headers={'Accept': 'application/ld+json', 'Link': context_link(CORE_CONTEXT_V18)})
    assert listed.status_code == 200, listed.text
    assert [context_urls(item['@context']) for item in listed.json()] == [[CORE_CONTEXT_V18]]

    as_json = http('GET', url, headers={'Accept': 'application/json', 'Link': context_link(CORE_CONTEXT_V18)})
    assert as_json.status_code == 200, as_json.text
    assert as_json.headers['Content-Type'] == 'application/json'
    assert '@context' not in as_json.json()
    assert link_context(as_json.headers) == CORE_CONTEXT_V18

    anything = http('GET', url, headers={'Accept': '*/*'})
    assert anything.status_code == 200, anything.text
    assert anything.headers['Content-Type'] == 'application/json'
    assert '@context' not in anything.json()
    assert CORE_CONTEXT_URL.match(link_context(anything.headers) or ''), anything.headers.get('Link')
    assert without_context(anything.json()) == without_context(sent(room))


def test_content_types_and_parameters(server):
    entity_type = unique_type('Room')
    room = Entity(entity_type, 'ct1').prop('temperature', 20)
    body = room.to_json()
    entities = f'{server}{NGSILD}/entities'

    refused = http('POST', f'{entities}/', data=body, headers={'Content-Type': 'text/plain'})
    assert refused.status_code == 415, refused.text
    assert refused.content == b''

    missing_context = http('POST', f'{entities}/', data=json.dumps(without_context(sent(room))),
                           headers={'Content-Type': 'application/ld+json'})
    check_response_problem(missing_context, 400, 'BadRequestData')

    as_json = http('POST', f'{entities}/', data=json.dumps(without_context(sent(room))),
                   headers={'Content-Type': 'application/json', 'Link': context_link(CORE_CONTEXT_V18)})
    assert as_json.status_code == 201, as_json.text
    assert unquote(as_json.headers['Location']) == f'{NGSILD}/entities/{room.id}'

    # GET ignores Content-Type (ngsildclient sends ld+json on every request)
    ignored = http('GET', entity_url(server, room.id), headers={'Content-Type': 'text/plain'})
    assert ignored.status_code == 200, ignored.text

    # 406 comes before 404
    unacceptable = http('GET', entity_url(server, f'urn:ngsi-ld:{entity_type}:nobody'),
                        headers={'Accept': 'application/xml'})
    assert unacceptable.status_code == 406, unacceptable.text

    # @context in an application/json batch item: a per-entity BadRequestData in a 207
    mixed = http('POST', f'{server}{NGSILD}/entityOperations/create',
                 data=json.dumps([sent(Entity(entity_type, 'ct2'))]), headers={'Content-Type': 'application/json'})
    assert mixed.status_code == 207, mixed.text
    assert mixed.json()['success'] == []
    check_batch_error(mixed.json()['errors'][0], f'urn:ngsi-ld:{entity_type}:ct2', 'BadRequestData', 400)

    trailing = http('GET', f'{entities}/', params={'type': entity_type, 'limit': 0, 'count': 'true'})
    assert trailing.status_code == 200 and trailing.headers['NGSILD-Results-Count'] == '1'
    assert http('GET', f'{server}{NGSILD}/types/').status_code == 200

    check_response_problem(http('GET', entities, params={'type': entity_type, 'bogus': '1'}), 400, 'InvalidRequest')
    check_response_problem(http('GET', entities, params={'type': entity_type, 'limit': 1001}), 403, 'TooManyResults')
    check_response_problem(http('GET', entities, params={'type': entity_type, 'limit': 0}), 400, 'BadRequestData')
    check_response_problem(http('GET', entities, params={'type': entity_type}, headers={'NGSILD-Tenant': 'other'}),
                           501, 'NoMultiTenantSupport')


def test_gq_sends_geoq_which_is_refused(ngsi):
    """ngsildclient's `gq=` sends the non-standard `geoQ` parameter: 400 InvalidRequest (decision 3)."""
    entity_type = unique_type('Room')
    with pytest.raises(NgsiInvalidRequestError) as info:
        ngsi.count(type=entity_type, gq='near;maxDistance==2000')
    check_context_error(info.value, 'InvalidRequest', 400)
    exchange = ngsi.recorder.last
    assert exchange.params['geoQ'] == 'near;maxDistance==2000'
    check_exchange_problem(exchange, 400, 'InvalidRequest')
    with pytest.raises(NgsiInvalidRequestError):
        ngsi.query_head(type=entity_type, gq='near;maxDistance==2000')


def test_non_ascii_values(ngsi):
    """Non-ASCII text is stored and read back exactly, through ngsildclient's single create (a str body, which
    urllib3 2 sends as UTF-8) and through its batch create (ASCII-escaped JSON)."""
    entity_type = unique_type('Cafe')
    single = Entity(entity_type, 'c1').prop('name', 'Café ☕')
    assert ngsi.create(single)
    assert ngsi.recorder.last.status == 201
    assert get_doc(ngsi, single.id)['name']['value'] == 'Café ☕'

    batched = Entity(entity_type, 'c2').prop('name', 'Café')
    assert ngsi.create([batched]).ok
    assert get_doc(ngsi, batched.id)['name']['value'] == 'Café'
