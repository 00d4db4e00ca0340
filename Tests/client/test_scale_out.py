"""Scale-out: two `entityhub serve` processes on one fresh PostgreSQL database (PostgreSQL only).

What a user behind a load balancer notices: a write through one process is at once what the other
answers; generated ids never collide; optimistic concurrency (`If-Match`) holds across processes; and
the change log stays dense (1..N, one row per successful write, never a gap a reader could see).
"""

import random
import re
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from connect.client import ConnectClient

from clienthelpers import PRODUCT_ID, admin_http, admin_session, parse_content_range, raises_client_error
from conftest import API_KEY, ServerProcess, require_binary, stop_cleanly

SORTABLE_ID = re.compile(r'^[0-9A-Za-z]{10,64}$')
HTTP_TIMEOUT = 60


@pytest.fixture
def database(postgres):
    """The URL of a fresh PostgreSQL database (dropped afterwards)."""
    with postgres.fresh_database() as url:
        yield url


@pytest.fixture
def nodes(database, tmp_path):
    """Two EntityHub processes started at the same moment on one fresh database."""
    require_binary()
    started = []
    try:
        for name in ('a', 'b'):
            data = tmp_path / name
            data.mkdir()
            started.append(ServerProcess(data, tmp_path / f'{name}.log', database=database))
        for node in started:
            node.wait_healthy()
        yield started
    finally:
        for node in started:
            if node.process.poll() is None:
                stop_cleanly(node)
            else:
                node.kill()


def connect(node):
    return ConnectClient(API_KEY, endpoint=node.endpoint, max_retries=0)


def total(node, collection, rql):
    """The total of Content-Range of a list, asked with `requests` (limit=0: only the count)."""
    response = admin_http.get(f'{node.endpoint}/{collection}?{rql}&limit=0', timeout=HTTP_TIMEOUT)
    assert response.status_code == 200, response.text
    return parse_content_range(response.headers.get('Content-Range'))[2]


def list_all(node, collection, rql):
    """Every entity matching `rql`, by id pages (`gt(id,LAST)&ordering(id)`), asked with `requests`."""
    session = admin_session()
    entities, last = [], None
    for _ in range(1000):
        condition = rql if last is None else f'and({rql},gt(id,{last}))'
        response = session.get(f'{node.endpoint}/{collection}?{condition}&ordering(id)&limit=1000',
                               headers={'Prefer': 'count=none'}, timeout=HTTP_TIMEOUT)
        assert response.status_code == 200, response.text
        page = response.json()
        entities += page
        if len(page) < 1000:
            return entities
        last = page[-1]['id']
    pytest.fail('more than 1000 pages')


# --- a write through one process is what the other answers -----------------------------------


def test_writes_through_one_process_are_visible_through_the_other(nodes):
    a, b = nodes
    ca, cb = connect(a), connect(b)
    tag = 'so' + uuid.uuid4().hex[:12]

    created = ca.products.create(payload={'name': 'Shared', 'price': 10, 'status': 'draft', 'tag': tag})
    assert PRODUCT_ID.match(created['id'])
    assert cb.products[created['id']].get() == created
    assert [p['id'] for p in cb.products.filter(tag=tag, status='draft')] == [created['id']]
    assert total(b, 'products', f'eq(tag,{tag})') == 1

    # b has just read it (and may keep it in memory): an update through a must still be what b answers
    updated = ca.products[created['id']].update(payload={'status': 'published', 'price': 12})
    assert updated['_meta']['version'] == 2
    assert cb.products[created['id']].get() == updated
    assert cb.products.filter(tag=tag, status='draft').count() == 0
    assert [p['id'] for p in cb.products.filter(tag=tag, status='published')] == [created['id']]
    assert total(b, 'products', f'and(eq(tag,{tag}),gt(price,11))') == 1

    # a conditional write through b with the version a wrote
    response = admin_http.put(f'{b.endpoint}/products/{created["id"]}', json={'price': 13},
                              headers={'If-Match': '"2"'}, timeout=HTTP_TIMEOUT)
    assert response.status_code == 200, response.text
    stale = admin_http.put(f'{a.endpoint}/products/{created["id"]}', json={'price': 14},
                           headers={'If-Match': '"2"'}, timeout=HTTP_TIMEOUT)
    assert stale.status_code == 412, stale.text
    assert stale.json()['error_code'] == 'VERSION_MISMATCH'
    assert ca.products[created['id']].get()['price'] == 13

    bulk = cb.items.bulk_create(payload=[{'tag': tag, 'n': n} for n in range(25)])
    assert len(bulk) == 25
    assert total(a, 'items', f'eq(tag,{tag})') == 25
    assert sorted(item['n'] for item in ca.items.filter(tag=tag, n__ge=20)) == [20, 21, 22, 23, 24]
    for item in bulk[:5]:
        assert ca.items[item['id']].get() == item

    # a has read it: a delete through b must still be what a answers
    assert ca.products[created['id']].get()['_meta']['version'] == 3
    cb.products[created['id']].delete()
    with raises_client_error(404, 'NOT_FOUND'):
        ca.products[created['id']].get()
    assert ca.products.filter(tag=tag).count() == 0
    assert total(a, 'products', f'eq(tag,{tag})') == 0
    missing = admin_http.put(f'{a.endpoint}/products/{created["id"]}', json={'price': 1}, timeout=HTTP_TIMEOUT)
    assert missing.status_code == 404, missing.text

    cb.items.bulk_delete(payload=[{'id': item['id']} for item in bulk[:10]])
    assert total(a, 'items', f'eq(tag,{tag})') == 15
    with raises_client_error(404, 'NOT_FOUND'):
        ca.items[bulk[0]['id']].get()


# --- generated ids ---------------------------------------------------------------------------

WRITERS_PER_NODE = 3
SINGLES = 20          # single creates per writer and collection
BULKS = 4             # bulk creates per writer and collection
BULK_SIZE = 50


def test_generated_ids_never_collide_across_processes(nodes):
    tag = 'ids' + uuid.uuid4().hex[:12]
    start = threading.Barrier(len(nodes) * WRITERS_PER_NODE)

    def writer(node, number):
        client = connect(node)
        start.wait(timeout=60)
        made = {'products': [], 'items': []}
        for round_ in range(SINGLES):
            for collection in ('products', 'items'):
                payload = {'name': f'{node.port}-{number}-{round_}', 'tag': tag, 'writer': f'{node.port}-{number}'}
                made[collection].append(client.collection(collection).create(payload=payload))
            if round_ % (SINGLES // BULKS) == 0:
                for collection in ('products', 'items'):
                    payload = [{'name': f'bulk {n}', 'tag': tag, 'n': n} for n in range(BULK_SIZE)]
                    entities = client.collection(collection).bulk_create(payload=payload)
                    assert len(entities) == BULK_SIZE
                    made[collection] += entities
        return made

    with ThreadPoolExecutor(len(nodes) * WRITERS_PER_NODE) as pool:
        futures = [pool.submit(writer, node, number) for node in nodes for number in range(WRITERS_PER_NODE)]
        results = [future.result(timeout=600) for future in futures]

    expected_each = len(nodes) * WRITERS_PER_NODE * (SINGLES + BULKS * BULK_SIZE)
    grand_total = 0
    for collection, pattern in (('products', PRODUCT_ID), ('items', SORTABLE_ID)):
        created = [entity for result in results for entity in result[collection]]
        assert len(created) == expected_each
        counts = Counter(entity['id'] for entity in created)
        duplicates = [id_ for id_, count in counts.items() if count > 1]
        assert not duplicates, f'{len(duplicates)} {collection} ids were given out twice: {duplicates[:10]}'
        bad = [entity['id'] for entity in created if not pattern.match(entity['id'])]
        assert not bad, f'{collection} ids of the wrong form: {bad[:10]}'
        by_id = {entity['id']: entity for entity in created}
        grand_total += len(by_id)

        for node in nodes:
            assert total(node, collection, f'eq(tag,{tag})') == expected_each
            listed = list_all(node, collection, f'eq(tag,{tag})')
            assert {entity['id']: entity for entity in listed} == by_id

        def read(entity, node):
            session = read.sessions.setdefault((threading.get_ident(), node.port), admin_session())
            response = session.get(f'{node.endpoint}/{collection}/{entity["id"]}', timeout=HTTP_TIMEOUT)
            return entity, node, response

        read.sessions = {}
        with ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(lambda job: read(*job), [(e, n) for e in created for n in nodes]))
        for entity, node, response in answers:
            assert response.status_code == 200, (node.port, entity['id'], response.text)
            assert response.json() == entity, (node.port, entity['id'])
    assert grand_total >= 2000


# --- optimistic concurrency across processes -------------------------------------------------

ROUNDS = 20


def test_concurrent_if_match_updates_through_both_processes(nodes):
    a, b = nodes
    created = admin_http.post(f'{a.endpoint}/items', json={'counter': 0}, timeout=HTTP_TIMEOUT)
    assert created.status_code == 201, created.text
    path = f'/items/{created.json()["id"]}'
    sessions = {node.port: admin_session() for node in nodes}
    for node in nodes:  # warm the connections (and whatever each process keeps in memory)
        assert sessions[node.port].get(node.endpoint + path, timeout=HTTP_TIMEOUT).status_code == 200

    winners = []
    with ThreadPoolExecutor(2) as pool:
        for round_ in range(ROUNDS):
            version = round_ + 1
            gate = threading.Barrier(2)

            def put(node):
                gate.wait(timeout=30)
                return node, sessions[node.port].put(
                    node.endpoint + path, json={'counter': round_ + 1, 'by': node.port},
                    headers={'If-Match': f'"{version}"'}, timeout=HTTP_TIMEOUT)

            answers = list(pool.map(put, nodes))
            statuses = sorted(response.status_code for _, response in answers)
            assert statuses == [200, 412], (
                f'round {round_}: If-Match "{version}" through both processes at once answered '
                f'{[(node.port, r.status_code, r.text[:200]) for node, r in answers]}'
            )
            for node, response in answers:
                if response.status_code == 200:
                    assert response.json()['_meta']['version'] == version + 1
                    winners.append(node.port)
                else:
                    assert response.json()['error_code'] == 'VERSION_MISMATCH', response.text

    for node in nodes:
        final = sessions[node.port].get(node.endpoint + path, timeout=HTTP_TIMEOUT)
        assert final.status_code == 200, final.text
        body = final.json()
        assert body['_meta']['version'] == 1 + ROUNDS
        assert final.headers.get('ETag') == f'"{1 + ROUNDS}"'
        assert body['counter'] == ROUNDS and body['by'] == winners[-1]


# --- the change log --------------------------------------------------------------------------

CHANGE_WRITERS_PER_NODE = 3
CHANGE_STEPS = 15


def test_change_log_is_dense_under_concurrent_writes_through_both_processes(nodes, database, postgres):
    """Every successful write is one row of `changes`, numbered 1..N; failed writes leave none."""
    tag = 'log' + uuid.uuid4().hex[:12]
    done = threading.Event()
    polls = []

    def poll():
        for _ in range(5000):
            [[maximum, count]] = postgres.psql('SELECT max(sequence), count(*) FROM changes', database)
            polls.append((int(maximum or 0), int(count)))
            if done.is_set():
                return

    start = threading.Barrier(len(nodes) * CHANGE_WRITERS_PER_NODE)

    def writer(node, number):
        rng = random.Random(f'{node.port}-{number}')
        session = admin_session()
        url = node.endpoint
        writes, failures = [], Counter()
        mine = []  # [id, version] of this writer's live items
        start.wait(timeout=60)
        for step in range(CHANGE_STEPS):
            # a single create
            response = session.post(f'{url}/items', json={'tag': tag, 'step': step}, timeout=HTTP_TIMEOUT)
            assert response.status_code == 201, response.text
            entity = response.json()
            writes.append(('upsert', 'items', entity['id'], 1))
            mine.append([entity['id'], 1])

            # a bulk create
            response = session.post(f'{url}/products', json=[{'name': f'p{n}', 'tag': tag} for n in range(3)],
                                    timeout=HTTP_TIMEOUT)
            assert response.status_code == 201, response.text
            for entity in response.json():
                writes.append(('upsert', 'products', entity['id'], 1))

            # a bulk create with a duplicate id: refused whole
            taken = rng.choice(mine)[0]
            response = session.post(f'{url}/items', json=[{'tag': tag, 'fresh': 1}, {'id': taken, 'tag': tag}],
                                    timeout=HTTP_TIMEOUT)
            assert response.status_code == 409, response.text
            failures['duplicate'] += 1

            # a conditional update, right and then stale
            target = rng.choice(mine)
            response = session.put(f'{url}/items/{target[0]}', json={'touched': step},
                                   headers={'If-Match': f'"{target[1]}"'}, timeout=HTTP_TIMEOUT)
            assert response.status_code == 200, response.text
            target[1] += 1
            writes.append(('upsert', 'items', target[0], target[1]))
            response = session.put(f'{url}/items/{target[0]}', json={'touched': -1},
                                   headers={'If-Match': f'"{target[1] - 1}"'}, timeout=HTTP_TIMEOUT)
            assert response.status_code == 412, response.text
            failures['stale'] += 1

            # invalid: a product without its required name
            response = session.post(f'{url}/products', json=[{'name': 'ok', 'tag': tag}, {'tag': tag}],
                                    timeout=HTTP_TIMEOUT)
            assert response.status_code == 422, response.text
            failures['invalid'] += 1

            if step % 3 == 2:
                gone = mine.pop(rng.randrange(len(mine)))
                response = session.delete(f'{url}/items/{gone[0]}', timeout=HTTP_TIMEOUT)
                assert response.status_code == 204, response.text
                writes.append(('delete', 'items', gone[0], gone[1]))
        return writes, failures

    reader = threading.Thread(target=poll, daemon=True)
    reader.start()
    try:
        with ThreadPoolExecutor(len(nodes) * CHANGE_WRITERS_PER_NODE) as pool:
            futures = [pool.submit(writer, node, number)
                       for node in nodes for number in range(CHANGE_WRITERS_PER_NODE)]
            results = [future.result(timeout=600) for future in futures]
    finally:
        done.set()
        reader.join(timeout=120)
    assert not reader.is_alive(), 'the change-log reader did not finish'

    writes = [write for result, _ in results for write in result]
    rows = postgres.psql('SELECT sequence, kind, collection, id, version FROM changes ORDER BY sequence', database)
    sequences = [int(row[0]) for row in rows]
    assert sequences == list(range(1, len(rows) + 1)), (
        f'sequences are not 1..{len(rows)}: duplicates {[s for s, c in Counter(sequences).items() if c > 1][:10]}, '
        f'missing {sorted(set(range(1, max(sequences, default=0) + 1)) - set(sequences))[:10]}'
    )
    assert len(rows) == len(writes), f'{len(rows)} change rows for {len(writes)} successful writes'

    kinds = {row[1] for row in rows}
    upsert = 'upsert'
    deleted_kinds = kinds - {upsert}
    assert len(deleted_kinds) <= 1, kinds
    delete_kind = deleted_kinds.pop() if deleted_kinds else 'delete'
    logged = Counter((row[1], row[2], row[3]) for row in rows)
    expected = Counter((upsert if kind == 'upsert' else delete_kind, collection, id_)
                       for kind, collection, id_, _ in writes)
    assert logged == expected, (
        f'logged but not written: {list((logged - expected).items())[:10]}; '
        f'written but not logged: {list((expected - logged).items())[:10]}'
    )
    upserts = Counter((row[2], row[3], int(row[4])) for row in rows if row[1] == upsert)
    assert upserts == Counter((c, i, v) for k, c, i, v in writes if k == 'upsert')
    assert all(count == 1 for count in upserts.values())

    # the failed writes left nothing behind
    for node in nodes:
        assert total(node, 'items', f'and(eq(tag,{tag}),eq(fresh,1))') == 0
        assert total(node, 'products', f'and(eq(tag,{tag}),eq(name,ok))') == 0

    assert polls, 'the change-log reader never read'
    torn = [(maximum, count) for maximum, count in polls if maximum != count]
    assert not torn, f'a reader saw max(sequence) != count(*) {len(torn)} times, e.g. {torn[:5]}'
    counts = [count for _, count in polls]
    assert counts == sorted(counts), 'the change log shrank while being read'
    assert len(set(counts)) > 1, f'the reader saw no progress in {len(polls)} polls'


# --- Idempotency-Key across processes --------------------------------------------------------


def test_a_retry_through_the_other_process_is_answered_not_redone(nodes):
    """A load balancer may send the retry of a write to the other process: same answer, written once."""
    a, b = nodes
    tag = 'idem' + uuid.uuid4().hex[:12]
    key = uuid.uuid4().hex
    first = admin_http.post(f'{a.endpoint}/items', json={'tag': tag, 'n': 1}, headers={'Idempotency-Key': key},
                            timeout=HTTP_TIMEOUT)
    assert first.status_code == 201, first.text
    again = admin_http.post(f'{b.endpoint}/items', json={'tag': tag, 'n': 1}, headers={'Idempotency-Key': key},
                            timeout=HTTP_TIMEOUT)
    assert again.status_code == 201, again.text
    assert again.json() == first.json()
    reused = admin_http.post(f'{b.endpoint}/items', json={'tag': tag, 'n': 2}, headers={'Idempotency-Key': key},
                             timeout=HTTP_TIMEOUT)
    assert reused.status_code == 422 and reused.json()['error_code'] == 'IDEMPOTENCY_KEY_REUSED', reused.text

    path = f'/items/{first.json()["id"]}'
    update_key = uuid.uuid4().hex
    headers = {'Idempotency-Key': update_key, 'If-Match': '"1"'}
    updated = admin_http.put(b.endpoint + path, json={'n': 3}, headers=headers, timeout=HTTP_TIMEOUT)
    assert updated.status_code == 200, updated.text
    replayed = admin_http.put(a.endpoint + path, json={'n': 3}, headers=headers, timeout=HTTP_TIMEOUT)
    assert replayed.status_code == 200, f'the retried conditional PUT was not answered: {replayed.text}'
    assert replayed.json() == updated.json()
    assert total(a, 'items', f'eq(tag,{tag})') == 1
    assert admin_http.get(a.endpoint + path, timeout=HTTP_TIMEOUT).json()['_meta']['version'] == 2

    # the same key through both processes at the same moment: one entity, and every success names it
    with ThreadPoolExecutor(2) as pool:
        for round_ in range(10):
            round_tag = f'{tag}r{round_}'
            round_key = uuid.uuid4().hex
            gate = threading.Barrier(2)

            def post(node):
                gate.wait(timeout=30)
                return node, admin_http.post(f'{node.endpoint}/items', json={'tag': round_tag},
                                             headers={'Idempotency-Key': round_key}, timeout=HTTP_TIMEOUT)

            answers = list(pool.map(post, nodes))
            for node, response in answers:
                assert response.status_code < 500, (node.port, response.status_code, response.text)
                if response.status_code >= 400:
                    assert response.json().get('error_code'), response.text
            ids = {response.json()['id'] for _, response in answers if response.status_code == 201}
            assert len(ids) == 1, (
                f'round {round_}: one Idempotency-Key through both processes at once answered '
                f'{[(node.port, r.status_code, r.text[:200]) for node, r in answers]}'
            )
            assert total(a, 'items', f'eq(tag,{round_tag})') == 1
