"""Idempotency-Key through the real Connect client and raw HTTP: a repeated write is answered, not redone."""

import uuid

from connect.client import ConnectClient

from clienthelpers import admin_http, raises_client_error
from conftest import API_KEY


def test_connect_client_create_repeated_with_the_same_key_creates_once(endpoint, tag):
    key = uuid.uuid4().hex
    client = ConnectClient(API_KEY, endpoint=endpoint, max_retries=0, default_headers={'Idempotency-Key': key})
    first = client.items.create(payload={'tag': tag, 'n': 1})
    second = client.items.create(payload={'tag': tag, 'n': 1})
    assert second['id'] == first['id']
    assert client.items.filter(tag=tag).count() == 1

    with raises_client_error(422, 'IDEMPOTENCY_KEY_REUSED'):
        client.items.create(payload={'tag': tag, 'n': 2})
    assert client.items.filter(tag=tag).count() == 1


def test_bulk_create_replays_the_same_ids(endpoint, tag):
    headers = {'Idempotency-Key': uuid.uuid4().hex}
    body = [{'tag': tag, 'n': n} for n in range(5)]
    first = admin_http.post(f'{endpoint}/items', json=body, headers=headers, timeout=10)
    second = admin_http.post(f'{endpoint}/items', json=body, headers=headers, timeout=10)
    assert first.status_code == second.status_code == 201
    assert [item['id'] for item in second.json()] == [item['id'] for item in first.json()]
    total = admin_http.get(f'{endpoint}/items?eq(tag,{tag})&limit=0', timeout=10).headers['Content-Range']
    assert total == 'items 0-0/5'
