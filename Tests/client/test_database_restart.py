"""The database goes away and comes back (PostgreSQL only): EntityHub answers 503 with the JSON error
body while it is down (so does /ready), keeps running and serving /health, and recovers by itself when
it is back.

The test stops the whole test cluster, so the session PostgreSQL server sees the outage too; the test
starts the cluster again in any case and checks that the session servers recover.
"""

import time
import uuid

import pytest
import requests
from connect.client import ConnectClient

from clienthelpers import admin_http, raises_client_error
from conftest import API_KEY, ServerProcess, require_binary, session_servers, stop_cleanly

DATABASE_TIMEOUT = 2       # --database-timeout of the server under test
ANSWER_BOUND = 10.0        # seconds a request may take while the database is down (generous)
RECOVERY_BOUND = 30.0      # seconds after the database is back until requests succeed again


def assert_unavailable(response, what, elapsed):
    assert response.status_code == 503, f'{what} while the database is down: {response.status_code} {response.text}'
    assert response.headers.get('Content-Type', '').startswith('application/json'), response.headers
    retry_after = response.headers.get('Retry-After', '')
    assert retry_after.isdigit() and int(retry_after) > 0, f'{what}: Retry-After {retry_after!r}'
    body = response.json()
    assert body.get('error_code') == 'UNAVAILABLE', body
    assert isinstance(body.get('errors'), list) and body['errors'], body
    assert all(isinstance(item, str) and item for item in body['errors']), body
    assert elapsed < ANSWER_BOUND, f'{what} took {elapsed:.1f}s to be answered 503'


def wait_until_ok(send, what, bound=RECOVERY_BOUND):
    """Repeats `send()` (a requests call) until it answers 2xx; fails after `bound` seconds."""
    deadline = time.monotonic() + bound
    last = None
    while time.monotonic() < deadline:
        try:
            last = send()
            if 200 <= last.status_code < 300:
                return last
            last = f'{last.status_code} {last.text[:200]}'
        except requests.RequestException as error:
            last = repr(error)
        time.sleep(0.25)
    pytest.fail(f'{what} did not succeed within {bound:.0f}s of the database coming back; last answer: {last}',
                pytrace=False)


@pytest.mark.parametrize('backend', ['postgres'], indirect=True)
def test_database_outage_is_503_and_recovers_without_restarting(postgres, server, tmp_path):
    """`server` (the session PostgreSQL server) is running during the outage, and must recover too."""
    require_binary()
    tag = 'outage' + uuid.uuid4().hex[:10]
    with postgres.fresh_database() as url:
        node = ServerProcess(tmp_path, tmp_path / 'server.log', database=url,
                             extra_args=['--database-timeout', str(DATABASE_TIMEOUT)])
        try:
            node.wait_healthy()
            pid = node.process.pid
            client = ConnectClient(API_KEY, endpoint=node.endpoint, max_retries=0)
            entity = client.items.create(payload={'tag': tag, 'name': 'before the outage'})
            assert client.items[entity['id']].get() == entity  # read once, so it may be kept in memory
            entity_url = f'{node.endpoint}/items/{entity["id"]}'
            list_url = f'{node.endpoint}/items?eq(tag,{tag})'

            try:
                postgres.run_control('stop')
                requests_while_down = [
                    ('GET entity', lambda: admin_http.get(entity_url, timeout=30)),
                    ('GET list', lambda: admin_http.get(list_url, timeout=30)),
                    ('POST', lambda: admin_http.post(f'{node.endpoint}/items',
                                                     json={'tag': tag, 'name': 'during the outage'}, timeout=30)),
                    ('PUT', lambda: admin_http.put(entity_url, json={'name': 'changed during the outage'},
                                                   timeout=30)),
                ]
                for what, send in requests_while_down:
                    started = time.monotonic()
                    response = send()
                    assert_unavailable(response, what, time.monotonic() - started)

                with raises_client_error(503, 'UNAVAILABLE'):
                    client.items[entity['id']].get()
                with raises_client_error(503, 'UNAVAILABLE'):
                    client.items.filter(tag=tag).count()

                health = admin_http.get(f'{node.base}/health', timeout=5)
                assert health.status_code == 200, health.text
                # readiness follows the database, for a load balancer to route around this server
                started = time.monotonic()
                ready = admin_http.get(f'{node.base}/ready', timeout=30)
                assert_unavailable(ready, 'GET /ready', time.monotonic() - started)
                assert node.process.poll() is None, 'EntityHub exited while the database was down'
            finally:
                postgres.ensure_running()  # always: the other tests need the cluster

            # back: the same process answers again, with the data of before the outage
            assert wait_until_ok(lambda: admin_http.get(f'{node.base}/ready', timeout=30), 'GET /ready').json() == {
                'status': 'ready'}
            again = wait_until_ok(lambda: admin_http.get(entity_url, timeout=30), 'GET entity')
            assert again.json() == entity
            listed = wait_until_ok(lambda: admin_http.get(list_url, timeout=30), 'GET list')
            assert [item['id'] for item in listed.json()] == [entity['id']], 'a write refused with 503 was stored'
            created = client.items.create(payload={'tag': tag, 'name': 'after the outage'})
            assert client.items[created['id']].get() == created
            assert client.items.filter(tag=tag).count() == 2
            assert client.items[entity['id']].update(payload={'name': 'changed'})['_meta']['version'] == 2
            assert node.process.poll() is None and node.process.pid == pid
        finally:
            if node.process.poll() is None:
                stop_cleanly(node)
            else:
                node.kill()

    # the session servers saw the outage too: they must be serving again
    assert 'postgres' in session_servers
    for backend, instance in list(session_servers.items()):
        wait_until_ok(lambda: admin_http.get(f'{instance.endpoint}/items?limit=1', timeout=30),
                      f'the session {backend} server')
        created = admin_http.post(f'{instance.endpoint}/items', json={'tag': tag}, timeout=30)
        assert created.status_code == 201, created.text
