"""The sync pull over real HTTP (issue 14): `GET /api/v1/_sync/changes`, on both backends.

Two users of the session server (names unique to the test): the owner's notes in `items` (private by
default), shared with and revoked from the other, updated and deleted; each pulls with plain
`requests` from no cursor (the snapshot) and then after the cursor it got.
"""


from clienthelpers import AuthorizedHTTP, anonymous_http, new_user


def user_http(endpoint):
    return new_user(endpoint, 'sync')


def pull(endpoint, http, cursor=None, **params):
    """Pulls until `more` is false: ({id: entry} in order of arrival, last cursor)."""
    entries = {}
    while True:
        response = http.get(f'{endpoint}/_sync/changes', params={**params, **({'cursor': cursor} if cursor else {})})
        assert response.status_code == 200, response.text
        assert response.headers['Content-Type'].startswith('application/json')
        page = response.json()
        assert set(page) == {'changes', 'cursor', 'more'}, page
        for entry in page['changes']:
            entries[entry['id']] = entry
        cursor = page['cursor']
        if not page['more']:
            return entries, cursor


def test_a_device_follows_shares_changes_revocations_and_deletes(endpoint):
    owner, owner_http = user_http(endpoint)
    other, other_http = user_http(endpoint)
    first = owner_http.post(f'{endpoint}/items', json={'title': 'first'}).json()
    second = owner_http.post(f'{endpoint}/items', json={'title': 'second'}).json()

    snapshot, owner_cursor = pull(endpoint, owner_http, collections='items')
    assert {first['id'], second['id']} <= set(snapshot)
    entry = snapshot[first['id']]
    assert entry['op'] == 'upsert' and entry['collection'] == 'items' and entry['right'] == 'C'
    assert entry['values'] == {'title': 'first'} and entry['version'] == 1
    assert entry['_meta']['version'] == 1 and isinstance(entry['seq'], int)
    seen, other_cursor = pull(endpoint, other_http, collections='items')
    assert first['id'] not in seen and second['id'] not in seen  # private to the owner

    shared = owner_http.put(f'{endpoint}/items/{first["id"]}/_access/{other}', json={'right': 'r'})
    assert shared.status_code == 200, shared.text
    changes, other_cursor = pull(endpoint, other_http, other_cursor)
    assert [(e['op'], e['id'], e['right']) for e in changes.values()] == [('upsert', first['id'], 'r')]

    assert owner_http.patch(f'{endpoint}/items/{first["id"]}', json={'title': 'edited'}).status_code == 200
    changes, other_cursor = pull(endpoint, other_http, other_cursor)
    assert changes[first['id']]['values'] == {'title': 'edited'} and changes[first['id']]['version'] == 2

    assert owner_http.delete(f'{endpoint}/items/{first["id"]}/_access/{other}').status_code == 204
    changes, other_cursor = pull(endpoint, other_http, other_cursor)
    assert [(e['op'], e['id']) for e in changes.values()] == [('revoke', first['id'])]
    assert 'values' not in changes[first['id']]  # a lost share carries no values

    assert owner_http.delete(f'{endpoint}/items/{second["id"]}').status_code == 204
    changes, _ = pull(endpoint, owner_http, owner_cursor)
    assert changes[second['id']]['op'] == 'delete'
    assert changes[first['id']]['op'] == 'upsert'  # one entry per entity: its latest state
    changes, _ = pull(endpoint, other_http, other_cursor)
    assert changes == {}  # never read the deleted one


def test_bad_pulls_are_refused_in_the_rest_error_format(endpoint):
    _, http = user_http(endpoint)
    for params, status, code in [
        ({'cursor': 'not-a-cursor'}, 400, 'INVALID_REQUEST'),
        ({'limit': '0'}, 400, 'INVALID_REQUEST'),
        ({'limit': '1001'}, 400, 'INVALID_REQUEST'),
        ({'limit': 'many'}, 400, 'INVALID_REQUEST'),
        ({'collections': 'nope'}, 400, 'INVALID_REQUEST'),
        # base64url("1.another-store.5"): a cursor of another store
        ({'cursor': 'MS5hbm90aGVyLXN0b3JlLjU'}, 410, 'CURSOR_EXPIRED'),
    ]:
        response = http.get(f'{endpoint}/_sync/changes', params=params)
        assert response.status_code == status, (params, response.text)
        assert response.json()['error_code'] == code, response.text
    bad = AuthorizedHTTP('ApiKey SU-000:wrong').get(f'{endpoint}/_sync/changes')
    assert bad.status_code == 401
    assert anonymous_http.get(f'{endpoint}/_sync/changes').status_code == 200  # public collections only
