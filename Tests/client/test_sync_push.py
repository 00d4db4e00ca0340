"""The sync push and its conflicts over real HTTP: `POST /api/v1/_sync/push`, `GET /api/v1/_sync/conflicts`
and `POST /api/v1/_sync/conflicts/{id}/resolve`, on both backends.

Users of the session server (names unique to the test) push batches of offline mutations from named
devices with plain `requests`: creates, updates against the version they last saw (merged per
top-level key with what the server got meanwhile) and deletes; the results, the entities over REST,
the conflict records both sides see, their resolution and the pull of another device are checked.
"""

import re
import uuid
from urllib.parse import quote

from clienthelpers import AuthorizedHTTP, admin_http, anonymous_http, parse_content_range

STATUSES = {'applied', 'merged', 'conflict', 'rejected'}
REASONS = {'changed', 'deleted', 'delete-changed'}
ISO_8601 = re.compile(r'^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$')
ABSENT = object()  # check_conflict: the member must be missing
ANY = object()  # check_conflict: the member is not checked


def unique(prefix):
    return f'{prefix}{uuid.uuid4().hex[:10]}'


# --- users -----------------------------------------------------------------------------------


class User:
    """A user of the session server with an API key: `name`, `id` (USR-…) and `http`."""

    def __init__(self, endpoint):
        self.name = unique('push')
        created = admin_http.post(f'{endpoint}/_admin/users', json={'name': self.name})
        assert created.status_code == 201, created.text
        issued = admin_http.post(f'{endpoint}/_admin/users/{self.name}/keys')
        assert issued.status_code == 201, issued.text
        self.http = AuthorizedHTTP(issued.json()['authorization'])
        me = self.http.get(f'{endpoint}/_auth/me')
        assert me.status_code == 200, me.text
        self.id = me.json()['id']

    @property
    def identities(self):
        """What a conflict record's `user` may be: the name or the id."""
        return {self.name, self.id}


def share(endpoint, owner, entity_id, other, right):
    response = owner.http.put(f'{endpoint}/items/{entity_id}/_access/{other.name}', json={'right': right})
    assert response.status_code == 200, response.text


# --- mutations -------------------------------------------------------------------------------


def create(entity_id, values, mid=None, collection='items'):
    return {'mid': mid or unique('m'), 'op': 'create', 'collection': collection, 'id': entity_id, 'set': values}


def update(entity_id, base_version, set=None, unset=None, base=None, mid=None, collection='items'):
    mutation = {'mid': mid or unique('m'), 'op': 'update', 'collection': collection, 'id': entity_id}
    if base_version is not None:
        mutation['base_version'] = base_version
    if set is not None:
        mutation['set'] = set
    if unset is not None:
        mutation['unset'] = unset
    if base is not None:
        mutation['base'] = base
    return mutation


def delete(entity_id, base_version, mid=None, collection='items'):
    mutation = {'mid': mid or unique('m'), 'op': 'delete', 'collection': collection, 'id': entity_id}
    if base_version is not None:
        mutation['base_version'] = base_version
    return mutation


# --- checks ----------------------------------------------------------------------------------


def check_conflict(record, *, entity, key=ANY, reason=ANY, users=ANY, device=ANY, base=ANY, server=ANY,
                   client=ANY, collection='items'):
    """A conflict record's shape, and the members asked for (ABSENT: must be missing)."""
    assert isinstance(record, dict), record
    assert isinstance(record.get('id'), str) and record['id'], record
    assert record.get('collection') == collection, record
    assert record.get('entity') == entity, record
    assert 'key' in record and (record['key'] is None or isinstance(record['key'], str)), record
    assert record.get('reason') in REASONS, record
    assert isinstance(record.get('user'), str) and record['user'], record
    assert isinstance(record.get('device'), str) and record['device'], record
    assert isinstance(record.get('at'), str) and ISO_8601.match(record['at']), record
    for name, expected in (('key', key), ('reason', reason), ('device', device)):
        if expected is not ANY:
            assert record[name] == expected, (name, expected, record)
    if users is not ANY:
        assert record['user'] in users, (users, record)
    for name, expected in (('base', base), ('server', server), ('client', client)):
        if expected is ABSENT:
            assert name not in record, (f'{name} should be absent', record)
        elif expected is not ANY:
            assert name in record and record[name] == expected, (name, expected, record)
    return record


def check_result(mutation, result):
    """The members every result has, whatever its status."""
    assert isinstance(result, dict), result
    assert result.get('mid') == mutation['mid'], (mutation, result)
    assert result.get('status') in STATUSES, result
    assert result.get('collection') == mutation['collection'], (mutation, result)
    assert result.get('id') == mutation['id'], (mutation, result)
    if 'version' in result:
        assert isinstance(result['version'], int) and not isinstance(result['version'], bool), result
        assert result['version'] >= 1, result
    if result['status'] == 'rejected':
        error = result.get('error')
        assert isinstance(error, dict), result
        assert isinstance(error.get('status'), int) and 400 <= error['status'] < 600, result
        assert isinstance(error.get('code'), str) and error['code'], result
        assert isinstance(error.get('message'), str) and error['message'], result
    else:
        assert 'error' not in result, result
    if result['status'] == 'conflict':
        assert isinstance(result.get('conflicts'), list) and result['conflicts'], result
        for record in result['conflicts']:
            check_conflict(record, entity=mutation['id'], collection=mutation['collection'])
    else:
        assert not result.get('conflicts'), result
    if result['status'] in ('merged', 'conflict') and 'version' in result:
        assert isinstance(result.get('values'), dict), result
    if 'values' in result:
        assert isinstance(result['values'], dict), result


def push_response(endpoint, http, device, mutations):
    return http.post(f'{endpoint}/_sync/push', json={'device': device, 'mutations': mutations})


def push(endpoint, user, device, mutations):
    """Pushes a batch (200 expected); the results, one per mutation, checked for shape."""
    response = push_response(endpoint, user.http, device, mutations)
    assert response.status_code == 200, response.text[:1000]
    assert response.headers['Content-Type'].startswith('application/json'), response.headers
    body = response.json()
    assert isinstance(body, dict) and isinstance(body.get('results'), list), body
    results = body['results']
    assert len(results) == len(mutations), results
    for mutation, result in zip(mutations, results):
        check_result(mutation, result)
    return results


def push_one(endpoint, user, device, mutation):
    return push(endpoint, user, device, [mutation])[0]


def expect(result, status, version=ABSENT, values=ANY, error_status=None):
    """`result` has that status, version (ABSENT: none; ANY: any) and values (without id and _meta)."""
    assert result['status'] == status, (status, result)
    if version is ABSENT:
        assert 'version' not in result, result
    elif version is not ANY:
        assert result.get('version') == version, (version, result)
    if values is ABSENT:
        assert 'values' not in result, result
    elif values is not ANY:
        assert 'values' in result and plain(result['values']) == values, (values, result)
    if error_status is not None:
        assert result['error']['status'] == error_status, (error_status, result)
    return result


def plain(values):
    """Values without the members REST adds (`id`, `_meta`)."""
    return {k: v for k, v in values.items() if k not in ('id', '_meta')}


def get_item(endpoint, user, entity_id):
    """The entity over REST (None when it is 404)."""
    response = user.http.get(f'{endpoint}/items/{entity_id}')
    if response.status_code == 404:
        return None
    assert response.status_code == 200, response.text
    return response.json()


def assert_item(endpoint, user, entity_id, values, version):
    item = get_item(endpoint, user, entity_id)
    assert item is not None, f'items/{entity_id} is missing'
    assert plain(item) == values, item
    assert item['_meta']['version'] == version, item
    return item


def list_conflicts(endpoint, user, limit=None):
    """Every open conflict the user sees, following `next` (each page checked)."""
    records, after = [], None
    for _ in range(1000):
        params = {}
        if limit is not None:
            params['limit'] = str(limit)
        if after is not None:
            params['after'] = after
        response = user.http.get(f'{endpoint}/_sync/conflicts', params=params)
        assert response.status_code == 200, response.text
        assert response.headers['Content-Type'].startswith('application/json'), response.headers
        page = response.json()
        assert isinstance(page.get('conflicts'), list) and 'next' in page, page
        assert page['next'] is None or (isinstance(page['next'], str) and page['next']), page
        if limit is not None:
            assert len(page['conflicts']) <= limit, page
        for record in page['conflicts']:
            check_conflict(record, entity=record.get('entity'), collection=record.get('collection'))
        records += page['conflicts']
        if page['next'] is None:
            ids = [record['id'] for record in records]
            assert len(ids) == len(set(ids)), f'a conflict listed twice: {ids}'
            return records
        assert page['conflicts'], f'an empty page with a next: {page}'
        after = page['next']
    raise AssertionError('GET _sync/conflicts never ended')


def conflict_ids(endpoint, user, limit=None):
    return {record['id'] for record in list_conflicts(endpoint, user, limit)}


def resolve(endpoint, user, conflict_id, body):
    return user.http.post(f'{endpoint}/_sync/conflicts/{quote(conflict_id, safe="")}/resolve', json=body)


def assert_rest_error(response, status, *statuses):
    allowed = (status, *statuses)
    assert response.status_code in allowed, f'expected {allowed}, got {response.status_code}: {response.text[:300]}'
    assert response.headers.get('Content-Type', '').startswith('application/json'), response.headers
    body = response.json()
    assert isinstance(body.get('error_code'), str) and body['error_code'], body
    assert isinstance(body.get('errors'), list) and body['errors'], body
    assert all(isinstance(item, str) and item for item in body['errors']), body


def pull(endpoint, http, cursor=None, **params):
    """Pulls until `more` is false: ({id: entry} in order of arrival, last cursor)."""
    entries = {}
    while True:
        response = http.get(f'{endpoint}/_sync/changes', params={**params, **({'cursor': cursor} if cursor else {})})
        assert response.status_code == 200, response.text
        page = response.json()
        for entry in page['changes']:
            entries[entry['id']] = entry
        cursor = page['cursor']
        if not page['more']:
            return entries, cursor


def seeded(endpoint, user, device='seed', values=None):
    """A new item of `user`, created by a push: (id, values), at version 1."""
    entity_id = unique('it')
    values = values or {'title': 'draft', 'body': 'text', 'tags': ['a']}
    expect(push_one(endpoint, user, device, create(entity_id, values)), 'applied', version=1)
    return entity_id, dict(values)


# --- tests -----------------------------------------------------------------------------------


def test_a_create_is_applied_at_version_1_and_readable_over_rest(endpoint):
    user = User(endpoint)
    entity_id = unique('it')
    mutation = create(entity_id, {'title': 'offline', 'count': 3, 'nested': {'a': [1, 2]}})
    result = push_one(endpoint, user, 'phone', mutation)
    expect(result, 'applied', version=1)
    assert_item(endpoint, user, entity_id, {'title': 'offline', 'count': 3, 'nested': {'a': [1, 2]}}, 1)
    other = User(endpoint)
    assert get_item(endpoint, other, entity_id) is None  # items are private to their creator
    assert list_conflicts(endpoint, user) == []


def test_an_update_at_the_current_version_applies_set_and_unset(endpoint):
    user = User(endpoint)
    entity_id, _ = seeded(endpoint, user)
    result = push_one(endpoint, user, 'phone', update(
        entity_id, 1, set={'title': 'final', 'extra': True}, unset=['tags'],
        base={'title': 'draft', 'tags': ['a']},
    ))
    expect(result, 'applied', version=2)
    assert_item(endpoint, user, entity_id, {'title': 'final', 'body': 'text', 'extra': True}, 2)


def test_two_devices_of_one_user_editing_different_keys_offline_both_merge(endpoint):
    user = User(endpoint)
    entity_id, _ = seeded(endpoint, user, device='laptop')
    # both devices last saw version 1; the laptop pushes first
    first = push_one(endpoint, user, 'laptop', update(entity_id, 1, set={'title': 'laptop title'},
                                                      base={'title': 'draft'}))
    expect(first, 'applied', version=2)
    second = push_one(endpoint, user, 'phone', update(
        entity_id, 1, set={'body': 'phone body', 'pinned': True}, unset=['tags'],
        base={'body': 'text', 'tags': ['a']},  # `pinned` missing from base: it did not exist
    ))
    merged = {'title': 'laptop title', 'body': 'phone body', 'pinned': True}
    expect(second, 'merged', version=3, values=merged)
    assert_item(endpoint, user, entity_id, merged, 3)
    assert list_conflicts(endpoint, user) == []


def test_an_older_base_where_the_server_already_has_the_clients_value_merges(endpoint):
    user = User(endpoint)
    entity_id, _ = seeded(endpoint, user)
    expect(push_one(endpoint, user, 'laptop', update(entity_id, 1, set={'title': 'same'}, base={'title': 'draft'})),
           'applied', version=2)
    result = push_one(endpoint, user, 'phone', update(entity_id, 1, set={'title': 'same', 'body': 'new'},
                                                      base={'title': 'draft', 'body': 'text'}))
    expect(result, 'merged', version=3, values={'title': 'same', 'body': 'new', 'tags': ['a']})
    assert_item(endpoint, user, entity_id, {'title': 'same', 'body': 'new', 'tags': ['a']}, 3)
    assert list_conflicts(endpoint, user) == []


def test_the_same_key_changed_by_two_users_is_a_conflict_both_see_and_a_value_resolves(endpoint):
    owner, editor, stranger, reader = User(endpoint), User(endpoint), User(endpoint), User(endpoint)
    entity_id, _ = seeded(endpoint, owner, device='owner-laptop')
    share(endpoint, owner, entity_id, editor, 'U')
    share(endpoint, owner, entity_id, reader, 'r')

    expect(push_one(endpoint, owner, 'owner-laptop', update(entity_id, 1, set={'title': 'owner title'},
                                                            base={'title': 'draft'})), 'applied', version=2)
    # the editor worked offline from version 1: the title clashes, the body still applies
    result = push_one(endpoint, editor, 'editor-phone', update(
        entity_id, 1, set={'title': 'editor title', 'body': 'editor body'}, base={'title': 'draft', 'body': 'text'},
    ))
    server_values = {'title': 'owner title', 'body': 'editor body', 'tags': ['a']}
    expect(result, 'conflict', version=3, values=server_values)
    assert len(result['conflicts']) == 1, result
    record = check_conflict(result['conflicts'][0], entity=entity_id, key='title', reason='changed',
                            users=editor.identities, device='editor-phone', base='draft', server='owner title',
                            client='editor title')
    assert_item(endpoint, owner, entity_id, server_values, 3)  # the stored value won

    # both sides see it; a user who may only read, or not at all, does not
    owner_view = [r for r in list_conflicts(endpoint, owner) if r['id'] == record['id']]
    editor_view = [r for r in list_conflicts(endpoint, editor) if r['id'] == record['id']]
    assert owner_view and editor_view, (owner_view, editor_view)
    for seen in (owner_view[0], editor_view[0]):
        check_conflict(seen, entity=entity_id, key='title', reason='changed', users=editor.identities,
                       device='editor-phone', base='draft', server='owner title', client='editor title')
    assert record['id'] not in conflict_ids(endpoint, stranger)
    assert record['id'] not in conflict_ids(endpoint, reader)

    resolved = resolve(endpoint, editor, record['id'], {'value': 'agreed title'})
    assert resolved.status_code == 200, resolved.text
    body = resolved.json()
    assert body['resolved'] == record['id'], body
    assert body['entity']['id'] == entity_id and body['entity']['title'] == 'agreed title', body
    assert body['entity']['_meta']['version'] == 4, body
    assert_item(endpoint, owner, entity_id, {'title': 'agreed title', 'body': 'editor body', 'tags': ['a']}, 4)
    assert record['id'] not in conflict_ids(endpoint, owner)
    assert record['id'] not in conflict_ids(endpoint, editor)


def test_keep_server_closes_the_conflict_and_writes_nothing(endpoint):
    user = User(endpoint)
    entity_id, _ = seeded(endpoint, user)
    expect(push_one(endpoint, user, 'laptop', update(entity_id, 1, set={'title': 'laptop'}, base={'title': 'draft'})),
           'applied', version=2)
    result = push_one(endpoint, user, 'phone', update(entity_id, 1, set={'title': 'phone'}, base={'title': 'draft'}))
    # nothing else changed: no new version
    expect(result, 'conflict', version=2, values={'title': 'laptop', 'body': 'text', 'tags': ['a']})
    record = check_conflict(result['conflicts'][0], entity=entity_id, key='title', reason='changed',
                            users=user.identities, device='phone', base='draft', server='laptop', client='phone')
    assert record['id'] in conflict_ids(endpoint, user)

    kept = resolve(endpoint, user, record['id'], {'keep': 'server'})
    assert kept.status_code == 200, kept.text
    body = kept.json()
    assert body['resolved'] == record['id'], body
    assert body['entity']['id'] == entity_id and body['entity']['title'] == 'laptop', body
    assert body['entity']['_meta']['version'] == 2, body
    assert_item(endpoint, user, entity_id, {'title': 'laptop', 'body': 'text', 'tags': ['a']}, 2)
    assert record['id'] not in conflict_ids(endpoint, user)


def test_keys_added_or_unset_on_both_sides_conflict_with_absent_members_and_list_in_pages(endpoint):
    user = User(endpoint)
    entity_id, _ = seeded(endpoint, user)
    # the server meanwhile: a new title, a note added, a tag added
    expect(push_one(endpoint, user, 'laptop', update(
        entity_id, 1, set={'title': 'S', 'note': 'server note', 'tags': ['a', 'b']},
        base={'title': 'draft', 'tags': ['a']},
    )), 'applied', version=2)
    result = push_one(endpoint, user, 'phone', update(
        entity_id, 1, set={'title': 'S', 'body': 'client body', 'note': 'client note'}, unset=['tags'],
        base={'title': 'draft', 'body': 'text', 'tags': ['a']},  # no note at base
    ))
    server_values = {'title': 'S', 'body': 'client body', 'note': 'server note', 'tags': ['a', 'b']}
    expect(result, 'conflict', version=3, values=server_values)
    records = {record['key']: record for record in result['conflicts']}
    assert set(records) == {'note', 'tags'}, result['conflicts']
    check_conflict(records['note'], entity=entity_id, reason='changed', users=user.identities, device='phone',
                   base=ABSENT, server='server note', client='client note')
    check_conflict(records['tags'], entity=entity_id, reason='changed', users=user.identities, device='phone',
                   base=['a'], server=['a', 'b'], client=ABSENT)
    assert_item(endpoint, user, entity_id, server_values, 3)

    # a third conflict on another entity, then the list one record per page
    other_id, _ = seeded(endpoint, user)
    expect(push_one(endpoint, user, 'laptop', update(other_id, 1, set={'body': 'L'}, base={'body': 'text'})),
           'applied', version=2)
    clash = push_one(endpoint, user, 'phone', update(other_id, 1, set={'body': 'P'}, base={'body': 'text'}))
    expect(clash, 'conflict', version=2)
    expected = {record['id'] for record in result['conflicts'] + clash['conflicts']}
    assert len(expected) == 3
    assert conflict_ids(endpoint, user, limit=1) == expected
    assert conflict_ids(endpoint, user, limit=2) == expected
    assert conflict_ids(endpoint, user) == expected


def test_creating_an_existing_id_merges_new_keys_and_conflicts_on_different_values(endpoint):
    user = User(endpoint)
    entity_id = unique('it')
    expect(push_one(endpoint, user, 'laptop', create(entity_id, {'title': 'a', 'body': 'b'})), 'applied', version=1)
    # another device created "the same" entity offline: an equal key and a new one
    result = push_one(endpoint, user, 'phone', create(entity_id, {'title': 'a', 'color': 'red'}))
    expect(result, 'merged', version=2, values={'title': 'a', 'body': 'b', 'color': 'red'})
    # a third with another title: the stored one stays, the clash is recorded (no base)
    result = push_one(endpoint, user, 'tablet', create(entity_id, {'title': 'other'}))
    expect(result, 'conflict', version=2, values={'title': 'a', 'body': 'b', 'color': 'red'})
    assert len(result['conflicts']) == 1, result
    check_conflict(result['conflicts'][0], entity=entity_id, key='title', reason='changed', users=user.identities,
                   device='tablet', base=ABSENT, server='a', client='other')
    assert_item(endpoint, user, entity_id, {'title': 'a', 'body': 'b', 'color': 'red'}, 2)


def test_an_update_of_a_deleted_or_missing_entity_is_a_deleted_conflict_and_a_value_recreates_it(endpoint):
    user = User(endpoint)
    entity_id, _ = seeded(endpoint, user)
    deleted = push_one(endpoint, user, 'laptop', delete(entity_id, 1))
    expect(deleted, 'applied', version=ABSENT)
    assert get_item(endpoint, user, entity_id) is None

    result = push_one(endpoint, user, 'phone', update(entity_id, 1, set={'title': 'offline edit'},
                                                      base={'title': 'draft'}))
    expect(result, 'conflict', version=ABSENT, values=ABSENT)
    assert len(result['conflicts']) == 1, result
    record = check_conflict(result['conflicts'][0], entity=entity_id, key=None, reason='deleted',
                            users=user.identities, device='phone')
    assert isinstance(record.get('client'), dict) and record['client'].get('title') == 'offline edit', record
    assert get_item(endpoint, user, entity_id) is None  # nothing written
    assert record['id'] in conflict_ids(endpoint, user)

    resolved = resolve(endpoint, user, record['id'], {'value': {'title': 'restored', 'body': 'back'}})
    assert resolved.status_code == 200, resolved.text
    body = resolved.json()
    assert body['resolved'] == record['id'], body
    assert body['entity']['id'] == entity_id and plain(body['entity']) == {'title': 'restored', 'body': 'back'}, body
    item = get_item(endpoint, user, entity_id)
    assert item is not None and plain(item) == {'title': 'restored', 'body': 'back'}, item
    assert record['id'] not in conflict_ids(endpoint, user)

    # an id that never existed: the same
    missing_id = unique('it')
    result = push_one(endpoint, user, 'phone', update(missing_id, 3, set={'title': 'ghost'}, base={'title': 'x'}))
    expect(result, 'conflict', version=ABSENT, values=ABSENT)
    check_conflict(result['conflicts'][0], entity=missing_id, key=None, reason='deleted', users=user.identities,
                   device='phone')
    assert get_item(endpoint, user, missing_id) is None


def test_deletes_apply_at_the_current_version_and_again_on_a_deleted_entity(endpoint):
    user = User(endpoint)
    entity_id, _ = seeded(endpoint, user)
    expect(push_one(endpoint, user, 'laptop', update(entity_id, 1, set={'title': 't2'}, base={'title': 'draft'})),
           'applied', version=2)
    expect(push_one(endpoint, user, 'laptop', delete(entity_id, 2)), 'applied', version=ABSENT)
    assert get_item(endpoint, user, entity_id) is None
    # the phone deletes it too, from what it saw
    expect(push_one(endpoint, user, 'phone', delete(entity_id, 1)), 'applied', version=ABSENT)
    assert get_item(endpoint, user, entity_id) is None
    assert list_conflicts(endpoint, user) == []


def test_a_delete_of_a_changed_entity_is_a_conflict_the_entity_stays_and_null_deletes_it(endpoint):
    user = User(endpoint)
    entity_id, _ = seeded(endpoint, user)
    expect(push_one(endpoint, user, 'laptop', update(entity_id, 1, set={'title': 'kept'}, base={'title': 'draft'})),
           'applied', version=2)
    result = push_one(endpoint, user, 'phone', delete(entity_id, 1))
    values = {'title': 'kept', 'body': 'text', 'tags': ['a']}
    expect(result, 'conflict', version=2, values=values)
    assert len(result['conflicts']) == 1, result
    record = check_conflict(result['conflicts'][0], entity=entity_id, key=None, reason='delete-changed',
                            users=user.identities, device='phone')
    assert record.get('client') is None, record  # the client wanted it gone
    assert_item(endpoint, user, entity_id, values, 2)  # it stays
    assert record['id'] in conflict_ids(endpoint, user)

    resolved = resolve(endpoint, user, record['id'], {'value': None})
    assert resolved.status_code == 200, resolved.text
    body = resolved.json()
    assert body['resolved'] == record['id'] and 'entity' in body and body['entity'] is None, body
    assert get_item(endpoint, user, entity_id) is None
    assert record['id'] not in conflict_ids(endpoint, user)


def test_a_read_only_share_is_rejected_403_a_hidden_entity_404_and_the_rest_of_the_batch_applies(endpoint):
    owner, reader, stranger = User(endpoint), User(endpoint), User(endpoint)
    entity_id, values = seeded(endpoint, owner)
    share(endpoint, owner, entity_id, reader, 'r')

    own_id = unique('it')
    batch = [
        update(entity_id, 1, set={'title': 'reader was here'}, base={'title': 'draft'}),
        create(own_id, {'title': 'mine'}),
        delete(entity_id, 1),
    ]
    results = push(endpoint, reader, 'reader-phone', batch)
    expect(results[0], 'rejected', error_status=403)
    expect(results[1], 'applied', version=1)
    expect(results[2], 'rejected', error_status=403)
    assert_item(endpoint, owner, entity_id, values, 1)  # unchanged
    assert_item(endpoint, reader, entity_id, values, 1)
    assert_item(endpoint, reader, own_id, {'title': 'mine'}, 1)

    results = push(endpoint, stranger, 'stranger-phone', [
        update(entity_id, 1, set={'title': 'stranger'}, base={'title': 'draft'}),
        delete(entity_id, 1),
    ])
    expect(results[0], 'rejected', error_status=404)
    expect(results[1], 'rejected', error_status=404)
    assert_item(endpoint, owner, entity_id, values, 1)
    assert list_conflicts(endpoint, owner) == []
    assert list_conflicts(endpoint, reader) == []


def test_invalid_mutations_are_rejected_one_by_one_and_write_nothing(endpoint):
    user = User(endpoint)
    entity_id, values = seeded(endpoint, user)
    good_id, repeated_a, repeated_b, bad_gadget, nowhere = (unique('it') for _ in range(5))
    repeated_mid = unique('m')
    batch = [
        update(entity_id, None, set={'title': 'no base version'}, base={'title': 'draft'}),  # 0: 422
        delete(entity_id, None),  # 1: 422
        create(bad_gadget, {'label': 'gadget', 'count': 'many'}, collection='gadgets'),  # 2: schema, 422
        create(nowhere, {'title': 'x'}, collection='nope'),  # 3: unknown collection, 404
        create(repeated_a, {'title': 'first'}, mid=repeated_mid),  # 4
        create(repeated_b, {'title': 'second'}, mid=repeated_mid),  # 5: the mid again, 422
        create(good_id, {'title': 'good'}),  # 6: applies
    ]
    results = push(endpoint, user, 'phone', batch)
    expect(results[0], 'rejected', error_status=422)
    expect(results[1], 'rejected', error_status=422)
    expect(results[2], 'rejected', error_status=422)
    expect(results[3], 'rejected', error_status=404)
    expect(results[5], 'rejected', error_status=422)
    expect(results[6], 'applied', version=1)

    assert_item(endpoint, user, entity_id, values, 1)
    assert user.http.get(f'{endpoint}/gadgets/{bad_gadget}').status_code == 404
    assert get_item(endpoint, user, repeated_b) is None
    assert results[4]['status'] in ('applied', 'rejected'), results[4]
    assert (get_item(endpoint, user, repeated_a) is not None) == (results[4]['status'] == 'applied'), results[4]
    assert_item(endpoint, user, good_id, {'title': 'good'}, 1)

    # a valid gadget goes through the same way
    gadget_id = unique('gd')
    expect(push_one(endpoint, user, 'phone', create(gadget_id, {'label': 'ok', 'count': 2}, collection='gadgets')),
           'applied', version=1)
    gadget = user.http.get(f'{endpoint}/gadgets/{gadget_id}')
    assert gadget.status_code == 200 and gadget.json()['count'] == 2, gadget.text


def test_a_retried_push_returns_the_same_results_and_writes_nothing_new(endpoint):
    user = User(endpoint)
    changed_id, _ = seeded(endpoint, user)
    doomed_id, _ = seeded(endpoint, user)
    expect(push_one(endpoint, user, 'laptop', update(changed_id, 1, set={'title': 'laptop'}, base={'title': 'draft'})),
           'applied', version=2)

    new_id = unique('it')
    batch = [
        create(new_id, {'title': 'new'}),
        update(changed_id, 1, set={'title': 'phone', 'body': 'phone body'}, base={'title': 'draft', 'body': 'text'}),
        delete(doomed_id, 1),
        update(changed_id, None, set={'title': 'no base'}),
    ]
    first = push(endpoint, user, 'phone', batch)
    expect(first[0], 'applied', version=1)
    expect(first[1], 'conflict', version=3, values={'title': 'laptop', 'body': 'phone body', 'tags': ['a']})
    expect(first[2], 'applied', version=ABSENT)
    expect(first[3], 'rejected', error_status=422)
    conflicts_before = conflict_ids(endpoint, user)
    assert {record['id'] for record in first[1]['conflicts']} <= conflicts_before

    # the answer got lost: the phone sends the same push again
    again = push(endpoint, user, 'phone', batch)
    assert [(r['mid'], r['status'], r.get('version')) for r in again] == \
        [(r['mid'], r['status'], r.get('version')) for r in first]
    assert [r.get('error', {}).get('status') for r in again] == [r.get('error', {}).get('status') for r in first]
    assert_item(endpoint, user, new_id, {'title': 'new'}, 1)
    assert_item(endpoint, user, changed_id, {'title': 'laptop', 'body': 'phone body', 'tags': ['a']}, 3)
    assert get_item(endpoint, user, doomed_id) is None
    assert conflict_ids(endpoint, user) == conflicts_before  # no conflict recorded twice

    # the same mids from another device are new mutations: the create finds its equal entity
    other = push(endpoint, user, 'tablet', [batch[0]])
    expect(other[0], 'merged', version=1, values={'title': 'new'})


def test_a_mid_reused_with_another_body_is_rejected_422(endpoint):
    user = User(endpoint)
    entity_id = unique('it')
    mid = unique('m')
    expect(push_one(endpoint, user, 'phone', create(entity_id, {'title': 'a'}, mid=mid)), 'applied', version=1)
    result = push_one(endpoint, user, 'phone', create(entity_id, {'title': 'b'}, mid=mid))
    expect(result, 'rejected', error_status=422)
    assert_item(endpoint, user, entity_id, {'title': 'a'}, 1)
    # ... and again identically: still the first answer
    expect(push_one(endpoint, user, 'phone', create(entity_id, {'title': 'a'}, mid=mid)), 'applied', version=1)


def test_bad_pushes_are_refused_whole_in_the_rest_error_format(endpoint):
    user = User(endpoint)
    url = f'{endpoint}/_sync/push'
    entity_id = unique('it')
    one = [create(entity_id, {'title': 'never'})]
    for body in [
        {'mutations': one},  # no device
        {'device': '', 'mutations': one},
        {'device': 7, 'mutations': one},
        {'device': 'phone'},  # no mutations
        {'device': 'phone', 'mutations': {'mid': 'x'}},
        {'device': 'phone', 'mutations': 'create'},
    ]:
        assert_rest_error(user.http.post(url, json=body), 400)
    assert_rest_error(user.http.post(url, data='{"device": "phone", "mutations": [',
                                     headers={'Content-Type': 'application/json'}), 400)
    assert get_item(endpoint, user, entity_id) is None

    # more than any batch limit (at least 1,000 are allowed): refused whole
    many = [create(f'{entity_id}-{n}', {'n': n}) for n in range(10_001)]
    assert_rest_error(user.http.post(url, json={'device': 'phone', 'mutations': many}, timeout=120), 400, 413)
    assert get_item(endpoint, user, f'{entity_id}-0') is None

    assert_rest_error(anonymous_http.post(url, json={'device': 'phone', 'mutations': one}), 401)
    assert_rest_error(AuthorizedHTTP('ApiKey SU-000:wrong').post(url, json={'device': 'phone', 'mutations': one}), 401)
    assert get_item(endpoint, user, entity_id) is None


def test_resolving_refuses_unknown_ids_callers_who_may_not_update_and_bad_bodies(endpoint):
    owner, reader, stranger = User(endpoint), User(endpoint), User(endpoint)
    entity_id, _ = seeded(endpoint, owner)
    share(endpoint, owner, entity_id, reader, 'r')
    expect(push_one(endpoint, owner, 'laptop', update(entity_id, 1, set={'title': 'L'}, base={'title': 'draft'})),
           'applied', version=2)
    result = push_one(endpoint, owner, 'phone', update(entity_id, 1, set={'title': 'P'}, base={'title': 'draft'}))
    expect(result, 'conflict', version=2)
    conflict_id = result['conflicts'][0]['id']

    assert resolve(endpoint, owner, unique('nope'), {'keep': 'server'}).status_code == 404
    assert resolve(endpoint, stranger, conflict_id, {'keep': 'server'}).status_code == 404
    assert resolve(endpoint, reader, conflict_id, {'value': 'reader'}).status_code == 404
    for body in [{}, {'keep': 'nobody'}, {'val': 'typo'}, []]:
        response = resolve(endpoint, owner, conflict_id, body)
        assert response.status_code in (400, 422), (body, response.status_code, response.text)
    assert conflict_id in conflict_ids(endpoint, owner)  # still open
    assert_item(endpoint, owner, entity_id, {'title': 'L', 'body': 'text', 'tags': ['a']}, 2)

    assert resolve(endpoint, owner, conflict_id, {'keep': 'server'}).status_code == 200
    assert conflict_id not in conflict_ids(endpoint, owner)


def test_a_batch_of_1000_creates_applies_in_one_request(endpoint, tag):
    user = User(endpoint)
    ids = [f'{tag}-{n:04d}' for n in range(1000)]
    mutations = [create(entity_id, {'tag': tag, 'n': n}) for n, entity_id in enumerate(ids)]
    results = push(endpoint, user, 'importer', mutations)
    assert [r['status'] for r in results] == ['applied'] * 1000, [r for r in results if r['status'] != 'applied'][:3]
    assert all(r.get('version') == 1 for r in results)
    listed = user.http.get(f'{endpoint}/items?eq(tag,{tag})&limit=1')
    assert listed.status_code == 200, listed.text
    assert parse_content_range(listed.headers.get('Content-Range'))[2] == 1000
    assert_item(endpoint, user, ids[0], {'tag': tag, 'n': 0}, 1)
    assert_item(endpoint, user, ids[999], {'tag': tag, 'n': 999}, 1)


def test_another_device_pulls_what_was_pushed(endpoint):
    user, editor = User(endpoint), User(endpoint)
    existing_id, _ = seeded(endpoint, user, device='laptop')
    share(endpoint, user, existing_id, editor, 'U')
    _, phone_cursor = pull(endpoint, user.http, collections='items')
    _, editor_cursor = pull(endpoint, editor.http, collections='items')

    new_id = unique('it')
    results = push(endpoint, user, 'laptop', [
        create(new_id, {'title': 'pushed'}),
        update(existing_id, 1, set={'title': 'pushed edit'}, unset=['tags'], base={'title': 'draft', 'tags': ['a']}),
    ])
    expect(results[0], 'applied', version=1)
    expect(results[1], 'applied', version=2)

    changes, _ = pull(endpoint, user.http, phone_cursor, collections='items')
    assert changes[new_id]['op'] == 'upsert' and changes[new_id]['version'] == 1, changes
    assert changes[new_id]['values'] == {'title': 'pushed'}, changes[new_id]
    assert changes[existing_id]['op'] == 'upsert' and changes[existing_id]['version'] == 2, changes
    assert changes[existing_id]['values'] == {'title': 'pushed edit', 'body': 'text'}, changes[existing_id]

    changes, _ = pull(endpoint, editor.http, editor_cursor, collections='items')
    assert set(changes) == {existing_id}, changes
    assert changes[existing_id]['values'] == {'title': 'pushed edit', 'body': 'text'}, changes[existing_id]

    # a delete pushed shows up as one too
    expect(push_one(endpoint, user, 'laptop', delete(new_id, 1)), 'applied', version=ABSENT)
    changes, _ = pull(endpoint, user.http, phone_cursor, collections='items')
    assert changes[new_id]['op'] == 'delete', changes[new_id]
