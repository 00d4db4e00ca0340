"""EntityHub driven by the unmodified synchronous CloudBlue Connect client (ConnectClient)."""

import random
import time
import uuid
from datetime import datetime, timezone
from decimal import Decimal

import pytest
from connect.client import ClientError, ConnectClient, R

from clienthelpers import (
    ISO_UTC,
    PRODUCT_ID,
    RequestRecorder,
    check_error_shape,
    parse_content_range,
    raises_client_error,
)
from conftest import API_KEY

PAGED_TOTAL = 250


def make_product(client, tag, **fields):
    payload = {'name': f'Product {tag}', 'tag': tag}
    payload.update(fields)
    return client.products.create(payload=payload)


def ids(entities):
    return [entity['id'] for entity in entities]


@pytest.fixture(scope='module')
def paged(endpoint):
    """250 `items` sharing one tag, created in shuffled order, with `seq` 0..249."""
    client = ConnectClient(API_KEY, endpoint=endpoint, max_retries=0)
    tag = 'page' + uuid.uuid4().hex[:12]
    order = list(range(PAGED_TOTAL))
    random.Random(7).shuffle(order)
    payload = [
        {'tag': tag, 'seq': seq, 'name': f'item-{seq:03d}', 'parity': 'even' if seq % 2 == 0 else 'odd'}
        for seq in order
    ]
    created = client.items.bulk_create(payload=payload)
    assert isinstance(created, list) and len(created) == PAGED_TOTAL
    assert [entity['seq'] for entity in created] == order, 'bulk_create must answer in request order'
    assert len(set(ids(created))) == PAGED_TOTAL
    return {'tag': tag, 'created': created, 'by_seq': {entity['seq']: entity for entity in created}}


# --- single resources ------------------------------------------------------------------------


def test_create_returns_entity_with_generated_id_and_meta(client, tag):
    product = make_product(
        client, tag,
        price=19.99,
        status='draft',
        released='2024-01-02T10:00:00Z',
        description='A fine product',
        meta={'a': 1, 'b': {'c': 'x'}},
    )
    assert client.response.status_code == 201
    assert client.response.headers['ETag'] == '"1"'
    assert client.response.headers['Location'].endswith(f'/api/v1/products/{product["id"]}')
    assert PRODUCT_ID.match(product['id']), product['id']
    assert product['name'] == f'Product {tag}'
    assert product['status'] == 'draft'
    assert product['tag'] == tag
    # the server may normalise the datetime text (e.g. to milliseconds), but not the instant
    assert datetime.fromisoformat(product['released'].replace('Z', '+00:00')) == datetime(
        2024, 1, 2, 10, 0, 0, tzinfo=timezone.utc)
    assert product['released'].endswith('Z')
    assert product['meta'] == {'a': 1, 'b': {'c': 'x'}}
    assert client.response.json(parse_float=Decimal)['price'] == Decimal('19.99')
    meta = product['_meta']
    assert meta['version'] == 1
    assert ISO_UTC.match(meta['created']), meta
    assert ISO_UTC.match(meta['updated']), meta

    fetched = client.products[product['id']].get()
    assert client.response.status_code == 200
    assert client.response.headers['ETag'] == '"1"'
    assert fetched == product
    assert '19.99' in client.response.text and '19.990' not in client.response.text


def test_collection_and_resource_methods_are_equivalent(client, tag):
    product = make_product(client, tag, price=5)
    via_method = client.collection('products').resource(product['id']).get()
    via_raw = client.get(f'products/{product["id"]}')
    assert via_method == via_raw == product


def test_exists_true_and_false(client, tag):
    product = make_product(client, tag)
    assert client.products[product['id']].exists() is True
    assert client.products['PRD-000-000-000'].exists() is False


def test_get_missing_is_404(client):
    with raises_client_error(404, 'NOT_FOUND'):
        client.products['PRD-999-999-999'].get()


def test_update_is_partial_and_bumps_version(client, tag):
    product = make_product(client, tag, price=10.5, status='draft', description='keep me')
    time.sleep(0.01)
    updated = client.products[product['id']].update(payload={'name': 'Renamed', 'price': 11.25})
    assert client.response.status_code == 200
    assert updated['id'] == product['id']
    assert updated['name'] == 'Renamed'
    assert updated['price'] == 11.25
    assert updated['status'] == 'draft'
    assert updated['description'] == 'keep me'
    assert updated['tag'] == tag
    assert updated['_meta']['version'] == 2
    assert updated['_meta']['created'] == product['_meta']['created']
    assert updated['_meta']['updated'] >= product['_meta']['updated']
    assert client.response.headers['ETag'] == '"2"'
    assert client.products[product['id']].get() == updated


def test_meta_and_id_in_body_are_ignored(client, tag):
    product = make_product(client, tag, _meta={'version': 42, 'created': '1999-01-01T00:00:00Z'})
    assert product['_meta']['version'] == 1
    assert product['_meta']['created'] != '1999-01-01T00:00:00Z'
    updated = client.products[product['id']].update(payload={'status': 'x', '_meta': {'version': 7}})
    assert updated['_meta']['version'] == 2


def test_delete_then_404(client, tag):
    product = make_product(client, tag)
    assert client.products[product['id']].delete() is None
    assert client.response.status_code in (200, 204)
    assert client.products[product['id']].exists() is False
    with raises_client_error(404, 'NOT_FOUND'):
        client.products[product['id']].delete()


def test_resource_values_picks_nested_fields(client, tag):
    product = make_product(client, tag, price=3, meta={'b': {'c': 'deep'}})
    values = client.products[product['id']].values('name', 'price', 'meta.b.c', 'missing')
    assert values == {'name': f'Product {tag}', 'price': 3, 'meta.b.c': 'deep', 'missing': None}


def test_raw_client_calls(client, tag):
    created = client.create('products', payload={'name': 'raw', 'tag': tag})
    assert client.response.status_code == 201
    assert client.get(f'products/{created["id"]}')['name'] == 'raw'
    updated = client.update(f'products/{created["id"]}', payload={'name': 'raw2'})
    assert updated['name'] == 'raw2'
    assert client.delete(f'products/{created["id"]}') is None
    assert client.products[created['id']].exists() is False


def test_client_supplied_id_and_duplicate(client, tag):
    item_id = f'custom-{tag}'
    item = client.items.create(payload={'id': item_id, 'tag': tag, 'n': 1})
    assert item['id'] == item_id
    assert client.items[item_id].get()['n'] == 1
    with raises_client_error(409, 'DUPLICATE_ID'):
        client.items.create(payload={'id': item_id, 'tag': tag, 'n': 2})
    assert client.items[item_id].get()['n'] == 1


def test_generated_ids_without_prefix_are_unique_and_sortable(client, tag):
    created = []
    for n in range(5):
        created.append(client.items.create(payload={'tag': tag, 'n': n}))
        time.sleep(0.005)
    generated = ids(created)
    assert generated == sorted(generated), 'ids generated later must sort later'
    assert len(set(generated)) == 5
    assert all('/' not in i and '?' not in i and ' ' not in i for i in generated)
    listed = client.items.filter(tag=tag).order_by('id')
    assert ids(listed) == sorted(generated)


# --- filtering -------------------------------------------------------------------------------


@pytest.fixture
def catalog(client, tag):
    """Five products with distinct names, statuses, prices and release dates."""
    rows = [
        dict(name=f'Alpha {tag}', status='published', price=19.99, released='2024-01-01T00:00:00Z',
             description='first', meta={'kind': 'x', 'n': 5, 'flag': True}),
        dict(name=f'beta {tag}', status='draft', price=9.5, released='2024-01-02T10:00:00Z',
             description='', meta={'kind': 'y', 'n': 50, 'flag': False}),
        dict(name=f'Gamma {tag}', status='published', price=100, released='2024-03-01T12:30:00Z',
             description=None, meta={'kind': 'x', 'n': 7}),
        dict(name=f'delta {tag}', status='endofsale', price=0.5, released='2023-12-31T23:59:59Z',
             meta={'kind': 'z', 'n': -1}),
        dict(name=f'Epsilon {tag}', status='draft', price=250.75, released='2025-06-15T08:00:00Z',
             description='last one'),
    ]
    created = [make_product(client, tag, **row) for row in rows]
    return {entity['name'].split()[0].lower(): entity for entity in created}


def names(entities):
    return sorted(entity['name'].split()[0].lower() for entity in entities)


def test_filter_with_rql_strings(client, tag, catalog):
    published = client.products.filter(f'eq(tag,{tag})', 'eq(status,published)')
    assert names(published) == ['alpha', 'gamma']
    rs = client.products.filter(f'and(eq(tag,{tag}),or(eq(status,draft),eq(status,endofsale)))')
    assert names(rs) == ['beta', 'delta', 'epsilon']
    assert names(client.products.filter(f'eq(tag,{tag})', 'not(eq(status,published))')) == [
        'beta', 'delta', 'epsilon']
    assert names(client.products.filter(f'eq(tag,{tag})', 'ne(status,draft)')) == ['alpha', 'delta', 'gamma']
    assert names(client.products.filter(f'eq(tag,{tag})', 'in(status,(draft,endofsale))')) == [
        'beta', 'delta', 'epsilon']
    assert names(client.products.filter(f'eq(tag,{tag})', 'out(status,(draft,endofsale))')) == [
        'alpha', 'gamma']
    assert names(client.products.filter(f'eq(tag,{tag})', 'lt(price,10)')) == ['beta', 'delta']
    assert names(client.products.filter(f'eq(tag,{tag})', 'le(price,19.99)')) == ['alpha', 'beta', 'delta']
    assert names(client.products.filter(f'eq(tag,{tag})', 'gt(price,19.99)')) == ['epsilon', 'gamma']
    assert names(client.products.filter(f'eq(tag,{tag})', 'ge(price,100)')) == ['epsilon', 'gamma']


def test_filter_chained_on_resourceset(client, tag, catalog):
    rs = client.products.all().filter(tag=tag).filter(R().status.eq('published')).filter('gt(price,50)')
    assert names(rs) == ['gamma']


def test_filter_with_r_objects(client, tag, catalog):
    base = R().tag.eq(tag)
    either = base & (R().status.eq('draft') | R().status.eq('endofsale'))
    assert names(client.products.filter(either)) == ['beta', 'delta', 'epsilon']
    negated = base & ~R(status='published')
    assert names(client.products.filter(negated)) == ['beta', 'delta', 'epsilon']
    not_either = base & ~(R(status='published') | R(status='draft'))
    assert 'not(and(or(' in str(not_either)  # single-child and()
    assert names(client.products.filter(not_either)) == ['delta']
    assert names(client.products.filter(base, R().price.gt(Decimal('19.99')))) == ['epsilon', 'gamma']
    assert names(client.products.filter(base, R().status.oneof(['published', 'draft']))) == [
        'alpha', 'beta', 'epsilon', 'gamma']
    assert names(client.products.filter(base, R().status.out(['published', 'draft']))) == ['delta']
    assert names(client.products.filter(base, R().name.like(f'*a {tag}'))) == ['alpha', 'beta', 'delta', 'gamma']
    assert names(client.products.filter(base, R().name.like('Gam*'))) == ['gamma']
    # like is case-sensitive, ilike is not
    assert names(client.products.filter(base, R().name.like('gam*'))) == []
    assert names(client.products.filter(base, R().name.ilike('GAM*'))) == ['gamma']
    assert names(client.products.filter(base, R().meta.kind.eq('x'))) == ['alpha', 'gamma']
    assert names(client.products.filter(base, R().n('meta.kind').in_(['y', 'z']))) == ['beta', 'delta']


def test_filter_with_kwargs(client, tag, catalog):
    assert names(client.products.filter(tag=tag, status='published')) == ['alpha', 'gamma']
    assert names(client.products.filter(tag=tag, status__in=['draft', 'endofsale'])) == [
        'beta', 'delta', 'epsilon']
    assert names(client.products.filter(tag=tag, status__out=['draft', 'endofsale'])) == ['alpha', 'gamma']
    assert names(client.products.filter(tag=tag, price__gt=10, price__lt=200)) == ['alpha', 'gamma']
    assert names(client.products.filter(tag=tag, price__ge=Decimal('9.5'), price__le=19.99)) == ['alpha', 'beta']
    assert names(client.products.filter(tag=tag, meta__kind='x')) == ['alpha', 'gamma']
    assert names(client.products.filter(tag=tag, meta__n__gt=6)) == ['beta', 'gamma']
    assert names(client.products.filter(tag=tag, name__like='*ta*')) == ['beta', 'delta']
    assert names(client.products.filter(tag=tag, name__ilike='*ALPHA*')) == ['alpha']


def test_filter_null_and_empty(client, tag, catalog):
    # gamma has an explicit null description, delta has none at all
    assert names(client.products.filter(tag=tag, description__null=True)) == ['delta', 'gamma']
    assert names(client.products.filter(tag=tag, description__null=False)) == ['alpha', 'beta', 'epsilon']
    assert 'beta' in names(client.products.filter(tag=tag, description__empty=True))
    assert 'alpha' not in names(client.products.filter(tag=tag, description__empty=True))
    not_empty = names(client.products.filter(tag=tag, description__empty=False))
    assert 'alpha' in not_empty and 'epsilon' in not_empty and 'beta' not in not_empty
    assert names(client.products.filter(f'eq(tag,{tag})', 'eq(meta,null())')) == ['epsilon']


def test_filter_undeclared_fields_typed_by_form(client, tag, catalog):
    assert names(client.products.filter(f'eq(tag,{tag})', 'eq(meta.n,5)')) == ['alpha']
    assert names(client.products.filter(f'eq(tag,{tag})', 'gt(meta.n,6)')) == ['beta', 'gamma']
    assert names(client.products.filter(f'eq(tag,{tag})', 'lt(meta.n,0)')) == ['delta']
    assert names(client.products.filter(tag=tag, meta__flag=True)) == ['alpha']
    assert names(client.products.filter(tag=tag, meta__flag=False)) == ['beta']


def test_decimal_comparisons_are_numeric(client, tag, catalog):
    assert names(client.products.filter(f'eq(tag,{tag})', 'eq(price,19.99)')) == ['alpha']
    assert names(client.products.filter(f'eq(tag,{tag})', 'eq(price,19.990)')) == ['alpha']
    assert names(client.products.filter(f'eq(tag,{tag})', 'eq(price,100.0)')) == ['gamma']
    assert names(client.products.filter(f'eq(tag,{tag})', 'gt(price,99.999)')) == ['epsilon', 'gamma']
    by_price = client.products.filter(tag=tag).order_by('price')
    assert [entity['price'] for entity in by_price] == [0.5, 9.5, 19.99, 100, 250.75]
    by_price_desc = client.products.filter(tag=tag).order_by('-price')
    assert [entity['price'] for entity in by_price_desc] == [250.75, 100, 19.99, 9.5, 0.5]


def test_datetime_comparisons(client, tag, catalog):
    after = datetime(2024, 1, 2, 10, 0, 0, tzinfo=timezone.utc)  # isoformat has a raw '+00:00'
    assert names(client.products.filter(R().tag.eq(tag), R().released.gt(after))) == ['epsilon', 'gamma']
    assert names(client.products.filter(R().tag.eq(tag), R().released.ge(after))) == ['beta', 'epsilon', 'gamma']
    assert names(client.products.filter(R().tag.eq(tag), R().released.eq(after))) == ['beta']
    assert names(client.products.filter(f'eq(tag,{tag})', 'lt(released,2024-01-01T00:00:00Z)')) == ['delta']
    assert names(client.products.filter(f'eq(tag,{tag})', 'eq(released,2024-01-02T11:00:00+01:00)')) == ['beta']
    by_release = client.products.filter(tag=tag).order_by('-released')
    assert [entity['name'].split()[0].lower() for entity in by_release] == [
        'epsilon', 'gamma', 'beta', 'alpha', 'delta']


def test_quoted_and_percent_encoded_values(client, tag):
    tricky = f'a,b (c)&d {tag}'
    make_product(client, tag, name=tricky)
    make_product(client, tag, name='plain')
    assert [p['name'] for p in client.products.filter(f'eq(tag,{tag})', f'eq(name,"{tricky}")')] == [tricky]
    assert [p['name'] for p in client.products.filter(f'eq(tag,{tag})', f"eq(name,'{tricky}')")] == [tricky]
    encoded = tricky.replace(',', '%2C').replace('(', '%28').replace(')', '%29').replace('&', '%26').replace(' ', '%20')
    assert [p['name'] for p in client.products.filter(f'eq(tag,{tag})', f'eq(name,{encoded})')] == [tricky]


def test_unicode_values(client, tag):
    product = make_product(client, tag, name='café ünïcødé ✓ 日本')
    assert product['name'] == 'café ünïcødé ✓ 日本'
    assert client.products[product['id']].get()['name'] == 'café ünïcødé ✓ 日本'
    assert ids(client.products.filter(tag=tag, name='café ünïcødé ✓ 日本')) == [product['id']]


def test_nul_characters_are_kept_and_matched_exactly(client, tag):
    """U+0000 is an ordinary JSON string character: stored, returned and compared like any other."""
    product = make_product(client, tag, name='a\u0000b')
    other = make_product(client, tag, name='plain')
    assert client.products[product['id']].get()['name'] == 'a\u0000b'
    assert ids(client.products.filter(f'eq(tag,{tag})', 'eq(name,a%00b)')) == [product['id']]
    assert ids(client.products.filter(f'eq(tag,{tag})', 'eq(name,a)')) == []
    assert ids(client.products.filter(f'eq(tag,{tag})', 'like(name,*%00*)')) == [product['id']]
    assert ids(client.products.filter(f'eq(tag,{tag})', 'like(name,a%00*)')) == [product['id']]
    assert other['id'] not in ids(client.products.filter(f'eq(tag,{tag})', 'ilike(name,*%00*)'))


# --- ordering, select, search ----------------------------------------------------------------


def test_order_by_multiple_keys(client, tag, catalog):
    rows = client.products.filter(tag=tag).order_by('status', '-price')
    assert [(p['status'], p['price']) for p in rows] == [
        ('draft', 250.75), ('draft', 9.5), ('endofsale', 0.5), ('published', 100), ('published', 19.99)]
    rows = client.products.filter(tag=tag).order_by('-status', 'price')
    assert [p['name'].split()[0] for p in rows] == ['Alpha', 'Gamma', 'delta', 'beta', 'Epsilon']


def test_order_by_created(client, tag):
    created = []
    for index in range(3):
        created.append(make_product(client, tag, seq=index))
        time.sleep(1.05)  # distinct creation instants even with second resolution
    assert ids(client.products.filter(tag=tag).order_by('-created')) == ids(reversed(created))
    assert ids(client.products.filter(tag=tag).order_by('created')) == ids(created)
    # updating the first one makes it the most recently updated
    client.products[created[0]['id']].update(payload={'status': 'touched'})
    assert client.products.filter(tag=tag).order_by('-updated').first()['id'] == created[0]['id']
    # `created` without a declared field means _meta.created
    middle = created[1]['_meta']['created']
    assert ids(client.products.filter(R().tag.eq(tag), R().created.gt(middle))) == [created[2]['id']]


def test_order_by_undeclared_number_is_numeric(client, tag):
    for n in (10, 9, 100, 2):
        client.items.create(payload={'tag': tag, 'n': n})
    assert [i['n'] for i in client.items.filter(tag=tag).order_by('n')] == [2, 9, 10, 100]
    assert [i['n'] for i in client.items.filter(tag=tag).order_by('-n')] == [100, 10, 9, 2]


def test_select_includes_only_given_fields(client, tag, catalog):
    rows = list(client.products.filter(tag=tag).select('name', 'price').order_by('price'))
    assert [row['name'].split()[0] for row in rows] == ['delta', 'beta', 'Alpha', 'Gamma', 'Epsilon']
    for row in rows:
        assert 'name' in row and 'price' in row
        for excluded in ('status', 'released', 'description', 'meta', 'tag'):
            assert excluded not in row, row


def test_select_excludes_fields_and_nested_paths(client, tag, catalog):
    rows = list(client.products.filter(tag=tag, status='published').select('-description', '-meta.n'))
    assert len(rows) == 2
    for row in rows:
        assert 'description' not in row
        assert 'n' not in row['meta'] and row['meta']['kind'] == 'x'
        assert row['name'] and row['status'] == 'published' and row['tag'] == tag and 'price' in row


def test_select_nested_include(client, tag, catalog):
    row = client.products.filter(tag=tag, status='endofsale').select('meta.kind').first()
    assert row['meta'] == {'kind': 'z'}
    assert 'name' not in row and 'price' not in row


def test_search_terms(client, tag):
    gizmo = make_product(client, tag, name=f'Blue Gizmo {tag}', description='shiny')
    widget = make_product(client, tag, name='Red widget', description=f'made by {tag} for everyone')
    make_product(client, tag, name='Unrelated', description='nothing')
    assert ids(client.products.filter(tag=tag).search(f'Gizmo {tag}')) == [gizmo['id']]  # '+' on the wire
    assert sorted(ids(client.products.all().search(tag))) == sorted([gizmo['id'], widget['id']])
    assert ids(client.products.filter(tag=tag).search('widget')) == [widget['id']]
    assert ids(client.products.filter(tag=tag).search('zzznotthere')) == []
    assert client.products.all().search(tag).count() == 2


# --- counting, first, values_list, pages -----------------------------------------------------


def test_count_first_and_empty_results(client, tag, catalog):
    assert client.products.filter(tag=tag).count() == 5
    assert parse_content_range(client.response.headers.get('Content-Range'))[2] == 5
    assert client.response.json() == []
    assert client.products.filter(tag=tag, status='draft').count() == 2
    assert client.products.filter(tag=tag, status='nope').count() == 0
    assert client.response.headers['Content-Range'] == 'items 0-0/0'
    first = client.products.filter(tag=tag).order_by('-price').first()
    assert first['name'] == f'Epsilon {tag}'
    assert client.products.filter(tag=tag, status='nope').first() is None
    assert list(client.products.filter(tag=tag, status='nope')) == []
    assert not client.products.filter(tag=tag, status='nope')
    assert client.products.filter(tag=tag)


def test_values_list(client, tag, catalog):
    values = list(client.products.filter(tag=tag).order_by('price').values_list('name', 'meta.kind'))
    assert values == [
        {'name': f'delta {tag}', 'meta.kind': 'z'},
        {'name': f'beta {tag}', 'meta.kind': 'y'},
        {'name': f'Alpha {tag}', 'meta.kind': 'x'},
        {'name': f'Gamma {tag}', 'meta.kind': 'x'},
        {'name': f'Epsilon {tag}', 'meta.kind': None},
    ]


def test_iterate_default_page_size(endpoint, paged):
    recorder = RequestRecorder()
    client = ConnectClient(API_KEY, endpoint=endpoint, max_retries=0, logger=recorder)
    rows = list(client.items.filter(tag=paged['tag']).order_by('seq'))
    assert [row['seq'] for row in rows] == list(range(PAGED_TOTAL))
    assert [row['id'] for row in rows] == [paged['by_seq'][s]['id'] for s in range(PAGED_TOTAL)]
    assert [params['offset'] for _, _, params in recorder.requests] == [0, 100, 200]
    assert all(params['limit'] == 100 for _, _, params in recorder.requests)
    ranges = [parse_content_range(r.headers.get('Content-Range')) for r in recorder.responses]
    assert ranges == [(0, 99, 250), (100, 199, 250), (200, 249, 250)]


def test_iterate_with_limit_30(endpoint, paged):
    recorder = RequestRecorder()
    client = ConnectClient(API_KEY, endpoint=endpoint, max_retries=0, logger=recorder)
    rows = list(client.items.filter(tag=paged['tag']).order_by('-seq').limit(30))
    assert [row['seq'] for row in rows] == list(reversed(range(PAGED_TOTAL)))
    assert len(recorder.requests) == 9
    assert [params['offset'] for _, _, params in recorder.requests] == list(range(0, 250, 30))
    last = parse_content_range(recorder.responses[-1].headers.get('Content-Range'))
    assert last == (240, 249, 250)


def test_iterate_without_ordering_yields_each_entity_once(endpoint, paged):
    client = ConnectClient(API_KEY, endpoint=endpoint, max_retries=0)
    rows = list(client.items.filter(tag=paged['tag']).limit(40))
    assert len(rows) == PAGED_TOTAL
    assert sorted(ids(rows)) == sorted(ids(paged['created']))


def test_iterate_with_filter_across_pages(client, paged):
    rows = list(client.items.filter(tag=paged['tag'], parity='odd').order_by('seq').limit(25))
    assert [row['seq'] for row in rows] == list(range(1, PAGED_TOTAL, 2))
    assert client.items.filter(tag=paged['tag'], parity='odd').count() == 125


def test_values_list_across_pages(client, paged):
    values = list(client.items.filter(tag=paged['tag']).order_by('seq').limit(60).values_list('seq', 'name'))
    assert values == [{'seq': s, 'name': f'item-{s:03d}'} for s in range(PAGED_TOTAL)]


def test_slicing(client, paged):
    rs = client.items.filter(tag=paged['tag']).order_by('seq')
    assert [row['seq'] for row in rs[10:20]] == list(range(10, 20))
    assert [row['seq'] for row in rs[95:105]] == list(range(95, 105))
    assert [row['seq'] for row in rs[240:260]] == list(range(240, 250))
    assert [row['seq'] for row in rs.limit(7)[3:40]] == list(range(3, 40))
    assert rs[5]['seq'] == 5
    assert rs[249]['seq'] == 249
    assert rs[250] is None
    assert [row['seq'] for row in rs[300:310]] == []


def test_count_of_many(client, paged):
    assert client.items.filter(tag=paged['tag']).count() == PAGED_TOTAL
    first, last, total = parse_content_range(client.response.headers.get('Content-Range'))
    assert total == PAGED_TOTAL and first >= 0 and last >= 0


def test_limit_1000_is_allowed(client, paged):
    rows = list(client.items.filter(tag=paged['tag']).limit(1000))
    assert len(rows) == PAGED_TOTAL
    assert parse_content_range(client.response.headers.get('Content-Range')) == (0, 249, 250)


# --- bulk operations -------------------------------------------------------------------------


def test_bulk_create_returns_created_array(client, tag):
    created = client.products.bulk_create(payload=[
        {'name': 'one', 'tag': tag, 'price': 1.1},
        {'name': 'two', 'tag': tag, 'price': 2.2},
        {'name': 'three', 'tag': tag, 'price': 19.99},
    ])
    assert client.response.status_code == 201
    assert [p['name'] for p in created] == ['one', 'two', 'three']
    assert all(PRODUCT_ID.match(p['id']) and p['_meta']['version'] == 1 for p in created)
    assert [p['price'] for p in client.response.json(parse_float=Decimal)] == [
        Decimal('1.1'), Decimal('2.2'), Decimal('19.99')]
    assert sorted(ids(client.products.filter(tag=tag))) == sorted(ids(created))


def test_bulk_create_is_all_or_nothing(client, tag):
    with raises_client_error(422, 'VALIDATION_FAILED') as info:
        client.products.bulk_create(payload=[
            {'name': 'fine', 'tag': tag},
            {'tag': tag},  # missing required name
            {'name': 'also fine', 'tag': tag},
            {'name': 'bad price', 'price': 'abc', 'tag': tag},
        ])
    item_errors = [e for e in info.value.errors if e.startswith('item ')]
    assert len(item_errors) >= 2, info.value.errors
    assert any('name' in e for e in item_errors) and any('price' in e for e in item_errors)
    assert client.products.filter(tag=tag).count() == 0


def test_bulk_update(client, tag):
    created = client.products.bulk_create(payload=[
        {'name': f'n{i}', 'tag': tag, 'status': 'draft', 'price': i} for i in range(3)
    ])
    updated = client.products.bulk_update(payload=[
        {'id': created[0]['id'], 'status': 'published'},
        {'id': created[2]['id'], 'price': 99.99, 'name': 'renamed'},
    ])
    assert client.response.status_code == 200
    assert ids(updated) == [created[0]['id'], created[2]['id']]
    assert updated[0]['status'] == 'published' and updated[0]['name'] == 'n0' and updated[0]['price'] == 0
    assert updated[1]['price'] == 99.99 and updated[1]['name'] == 'renamed' and updated[1]['status'] == 'draft'
    assert all(u['_meta']['version'] == 2 for u in updated)
    assert client.products[created[1]['id']].get() == created[1]
    assert client.products[created[2]['id']].get()['name'] == 'renamed'


def test_bulk_update_is_all_or_nothing(client, tag):
    created = client.products.bulk_create(payload=[{'name': f'n{i}', 'tag': tag} for i in range(2)])
    with pytest.raises(ClientError) as info:
        client.products.bulk_update(payload=[
            {'id': created[0]['id'], 'status': 'changed'},
            {'id': 'PRD-000-000-001', 'status': 'changed'},
        ])
    assert info.value.status_code in (404, 422), info.value.status_code
    check_error_shape(info.value)
    assert any('item' in e for e in info.value.errors), info.value.errors
    assert client.products[created[0]['id']].get()['_meta']['version'] == 1
    assert 'status' not in client.products[created[0]['id']].get()
    with raises_client_error(422, 'VALIDATION_FAILED'):
        client.products.bulk_update(payload=[
            {'id': created[0]['id'], 'status': 'changed'},
            {'id': created[1]['id'], 'price': 'not a number'},
        ])
    assert client.products[created[0]['id']].get()['_meta']['version'] == 1


def test_bulk_delete(client, tag):
    created = client.products.bulk_create(payload=[{'name': f'n{i}', 'tag': tag} for i in range(3)])
    assert client.products.bulk_delete(payload=[{'id': created[0]['id']}, {'id': created[2]['id']}]) is None
    assert client.response.status_code in (200, 204)
    assert ids(client.products.filter(tag=tag)) == [created[1]['id']]


def test_bulk_delete_is_all_or_nothing(client, tag):
    created = client.products.bulk_create(payload=[{'name': f'n{i}', 'tag': tag} for i in range(2)])
    with pytest.raises(ClientError) as info:
        client.products.bulk_delete(payload=[{'id': created[0]['id']}, {'id': 'PRD-000-000-002'}])
    assert info.value.status_code in (404, 422)
    check_error_shape(info.value)
    assert client.products.filter(tag=tag).count() == 2


# --- actions ---------------------------------------------------------------------------------


def test_resource_action_post(client, tag):
    product = make_product(client, tag, status='published', price=5)
    result = client.products[product['id']]('endsale').post()
    assert client.response.status_code == 200
    assert result['id'] == product['id']
    assert result['status'] == 'endofsale'
    assert result['price'] == 5 and result['name'] == product['name']
    assert result['_meta']['version'] == 2
    assert client.products[product['id']].get()['status'] == 'endofsale'
    with raises_client_error(409, 'ACTION_CONDITION_FAILED'):
        client.products[product['id']]('endsale').post()
    assert client.products[product['id']].get()['_meta']['version'] == 2


@pytest.mark.parametrize('method', ['post_with_payload', 'put', 'get', 'delete'])
def test_resource_action_methods(client, tag, method):
    product = make_product(client, tag, status='published')
    action = client.products[product['id']].action('endsale')
    if method == 'post_with_payload':
        result = action.post(payload={'note': 'bye'})
    else:
        result = getattr(action, method)()
    assert result['status'] == 'endofsale'
    assert client.products[product['id']].get()['status'] == 'endofsale'


def test_resource_action_precondition_fails_on_draft(client, tag):
    product = make_product(client, tag, status='draft')
    with raises_client_error(409, 'ACTION_CONDITION_FAILED'):
        client.products[product['id']]('endsale').post()
    assert client.products[product['id']].get()['status'] == 'draft'


def test_action_on_missing_resource_is_404(client):
    with raises_client_error(404, 'NOT_FOUND'):
        client.products['PRD-000-000-003']('endsale').post()


def test_unknown_action_is_404(client, tag):
    product = make_product(client, tag, status='published')
    with raises_client_error(404):
        client.products[product['id']]('nosuchaction').post()


def test_collection_action(client, tag):
    other = 'other' + tag
    drafts = [make_product(client, tag, status='draft') for _ in range(3)]
    published = make_product(client, tag, status='published')
    elsewhere = make_product(client, other, status='draft')
    result = client.products.action(f'discontinue?eq(tag,{tag})').post()
    assert client.response.status_code == 200
    assert result == {'updated': 3}
    for product in drafts:
        assert client.products[product['id']].get()['status'] == 'discontinued'
    assert client.products[published['id']].get()['status'] == 'published'
    assert client.products[elsewhere['id']].get()['status'] == 'draft'
    assert client.create(f'products/discontinue?eq(tag,{tag})') == {'updated': 0}
    assert client.products('discontinue').path == 'products/discontinue'
    assert client.create(f'products/discontinue?eq(tag,{other})') == {'updated': 1}
    assert client.products[elsewhere['id']].get()['status'] == 'discontinued'


# --- namespaces and nested collections -------------------------------------------------------


def test_namespace_and_nested_collections(client, tag):
    services = client('devops').services
    assert services.path == 'devops/services'
    service = services.create(payload={'name': f'svc {tag}', 'tag': tag})
    assert service['id'].startswith('SRVC-')
    assert client.ns('devops').collection('services')[service['id']].get() == service
    other = services.create(payload={'name': f'other {tag}', 'tag': tag})

    envs = client('devops').services[service['id']].environments
    assert envs.path == f'devops/services/{service["id"]}/environments'
    created = envs.bulk_create(payload=[{'name': 'dev', 'tag': tag}, {'name': 'prod', 'tag': tag}])
    assert [e['name'] for e in created] == ['dev', 'prod']
    env = envs.create(payload={'name': 'staging', 'tag': tag, 'replicas': 3})
    assert envs[env['id']].get()['replicas'] == 3
    assert sorted(e['name'] for e in envs.all()) == ['dev', 'prod', 'staging']
    assert envs.all().count() == 3
    assert [e['name'] for e in envs.filter(replicas__gt=1)] == ['staging']
    assert envs.all().order_by('-name').first()['name'] == 'staging'

    assert envs[env['id']].update(payload={'replicas': 5})['replicas'] == 5
    assert envs[env['id']].values('name', 'replicas') == {'name': 'staging', 'replicas': 5}

    other_envs = client('devops').services[other['id']].environments
    assert other_envs.all().count() == 0
    assert list(other_envs.all()) == []
    assert client.response.headers['Content-Range'] == 'items 0-0/0'
    assert other_envs[env['id']].exists() is False

    assert envs[env['id']].delete() is None
    assert envs[env['id']].exists() is False
    assert envs.all().count() == 2
    assert sorted(s['name'] for s in services.filter(tag=tag)) == [f'other {tag}', f'svc {tag}']


def test_nested_collection_requires_parent(client, tag):
    envs = client('devops').services['SRVC-MISSING-0000'].environments
    with raises_client_error(404, 'NOT_FOUND'):
        envs.create(payload={'name': 'orphan', 'tag': tag})
    with raises_client_error(404, 'NOT_FOUND'):
        envs.all().count()
    with raises_client_error(404, 'NOT_FOUND'):
        list(envs.all())


def test_unknown_collections_and_namespaces_are_404(client):
    with raises_client_error(404, 'NOT_FOUND'):
        client.collection('nosuchthings').all().count()
    with raises_client_error(404, 'NOT_FOUND'):
        client('nosuchns').things.create(payload={'a': 1})
    with raises_client_error(404, 'NOT_FOUND'):
        client('devops').nosuch.all().count()


# --- errors ----------------------------------------------------------------------------------


def test_invalid_rql_is_400(client):
    with raises_client_error(400, 'INVALID_RQL') as info:
        client.products.filter('foo(bar)').count()
    assert any('foo' in e for e in info.value.errors), info.value.errors
    with raises_client_error(400, 'INVALID_RQL'):
        list(client.products.filter('eq(name,unclosed'))
    with raises_client_error(400, 'INVALID_RQL'):
        client.products.filter('eq(name)').count()


def test_wrong_type_in_rql_is_400(client):
    with raises_client_error(400, 'INVALID_RQL') as info:
        client.products.filter('eq(price,abc)').count()
    assert any('price' in e for e in info.value.errors), info.value.errors
    with raises_client_error(400, 'INVALID_RQL'):
        client.products.filter(R().released.gt('not-a-date')).first()


def test_missing_required_field_is_422(client, tag):
    with raises_client_error(422, 'VALIDATION_FAILED') as info:
        client.products.create(payload={'tag': tag, 'price': 1})
    assert any('name' in e for e in info.value.errors), info.value.errors
    assert client.products.filter(tag=tag).count() == 0


def test_wrong_field_types_are_422(client, tag):
    for payload, field in [
        ({'name': 1}, 'name'),
        ({'name': 'x', 'price': 'abc'}, 'price'),
        ({'name': 'x', 'released': 'yesterday'}, 'released'),
        ({'name': 'x', 'status': True}, 'status'),
    ]:
        with raises_client_error(422, 'VALIDATION_FAILED') as info:
            client.products.create(payload={**payload, 'tag': tag})
        assert any(field in e for e in info.value.errors), (payload, info.value.errors)
    product = make_product(client, tag, price=1)
    with raises_client_error(422, 'VALIDATION_FAILED'):
        client.products[product['id']].update(payload={'price': 'abc'})
    with raises_client_error(422, 'VALIDATION_FAILED'):
        client.products[product['id']].update(payload={'name': None})
    assert client.products[product['id']].get()['_meta']['version'] == 1


def test_gadget_types(client, tag):
    gadget = client.gadgets.create(payload={
        'label': 'g', 'tag': tag, 'count': 3, 'active': True, 'day': '2024-02-29',
        'spec': {'weight': 1.25, 'color': 'red'}, 'parts': [1, 'two', {'three': 3}],
    })
    assert gadget['id'].startswith('GDG-')
    assert gadget['spec'] == {'weight': 1.25, 'color': 'red'}
    assert gadget['parts'] == [1, 'two', {'three': 3}]
    for bad in [{'count': 1.5}, {'count': '3'}, {'active': 'yes'}, {'day': '2023-02-29'},
                {'day': '2024-01-01T00:00:00Z'}, {'spec': {'weight': 'heavy'}}, {'spec': 'x'},
                {'parts': {'a': 1}}]:
        with raises_client_error(422, 'VALIDATION_FAILED'):
            client.gadgets.create(payload={'label': 'bad', 'tag': tag, **bad})
    assert client.gadgets.filter(tag=tag).count() == 1
    assert ids(client.gadgets.filter(tag=tag, count__ge=3, active=True, day='2024-02-29')) == [gadget['id']]
    assert ids(client.gadgets.filter(tag=tag, spec__weight__lt=2)) == [gadget['id']]
    with raises_client_error(400, 'INVALID_RQL'):
        client.gadgets.filter('eq(count,many)').count()
    with raises_client_error(400, 'INVALID_RQL'):
        client.gadgets.filter('eq(active,maybe)').count()
