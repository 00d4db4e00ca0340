"""EntityHub driven by the unmodified asynchronous CloudBlue Connect client (AsyncConnectClient)."""

import asyncio
import random
import uuid
from datetime import datetime, timezone
from decimal import Decimal

import pytest
import pytest_asyncio
from connect.client import AsyncConnectClient, ClientError, ConnectClient, R

from clienthelpers import (
    PRODUCT_ID,
    RequestRecorder,
    check_error_shape,
    parse_content_range,
    raises_client_error,
)
from conftest import API_KEY

# One event loop for the whole session: the client caches its httpx transport per endpoint.
pytestmark = pytest.mark.asyncio(loop_scope='session')

PAGED_TOTAL = 250


async def make_product(client, tag, **fields):
    payload = {'name': f'Product {tag}', 'tag': tag}
    payload.update(fields)
    return await client.products.create(payload=payload)


async def collect(rs):
    return [item async for item in rs]


def ids(entities):
    return [entity['id'] for entity in entities]


@pytest.fixture(scope='module')
def paged(endpoint):
    """250 `items` sharing one tag, created (with the sync client) in shuffled order."""
    client = ConnectClient(API_KEY, endpoint=endpoint, max_retries=0)
    tag = 'apage' + uuid.uuid4().hex[:12]
    order = list(range(PAGED_TOTAL))
    random.Random(11).shuffle(order)
    created = client.items.bulk_create(payload=[{'tag': tag, 'seq': seq} for seq in order])
    assert len(created) == PAGED_TOTAL
    return {'tag': tag, 'by_seq': {entity['seq']: entity for entity in created}}


# --- single resources ------------------------------------------------------------------------


async def test_create_get_update_delete(async_client, tag):
    product = await make_product(async_client, tag, price=19.99, status='draft', description='d')
    assert async_client.response.status_code == 201
    assert async_client.response.headers['etag'] == '"1"'
    assert PRODUCT_ID.match(product['id'])
    assert product['_meta']['version'] == 1
    assert async_client.response.json(parse_float=Decimal)['price'] == Decimal('19.99')

    resource = async_client.products[product['id']]
    assert await resource.get() == product
    assert await resource.exists() is True
    assert await resource.values('name', 'price') == {'name': f'Product {tag}', 'price': 19.99}

    updated = await resource.update(payload={'status': 'published'})
    assert updated['status'] == 'published'
    assert updated['price'] == 19.99 and updated['description'] == 'd'
    assert updated['_meta']['version'] == 2
    assert async_client.response.headers['etag'] == '"2"'

    assert await resource.delete() is None
    assert await resource.exists() is False
    with raises_client_error(404, 'NOT_FOUND'):
        await resource.get()


async def test_raw_calls(async_client, tag):
    created = await async_client.create('products', payload={'name': 'raw', 'tag': tag})
    assert (await async_client.get(f'products/{created["id"]}'))['name'] == 'raw'
    assert (await async_client.update(f'products/{created["id"]}', payload={'name': 'r2'}))['name'] == 'r2'
    assert await async_client.delete(f'products/{created["id"]}') is None


async def test_compact_unicode_json(async_client, tag):
    product = await make_product(async_client, tag, name='naïve ✓ 日本語', meta={'k': 'é'})
    assert product['name'] == 'naïve ✓ 日本語'
    found = await collect(async_client.products.filter(tag=tag, name='naïve ✓ 日本語'))
    assert ids(found) == [product['id']]


# --- filtering, ordering, select, search -----------------------------------------------------


@pytest_asyncio.fixture(loop_scope='session')
async def catalog(async_client, tag):
    rows = [
        dict(name=f'Alpha {tag}', status='published', price=19.99, released='2024-01-01T00:00:00Z',
             meta={'kind': 'x'}),
        dict(name=f'beta {tag}', status='draft', price=9.5, released='2024-01-02T10:00:00Z',
             meta={'kind': 'y'}),
        dict(name=f'Gamma {tag}', status='published', price=100, released='2024-03-01T12:30:00Z'),
    ]
    created = [await make_product(async_client, tag, **row) for row in rows]
    return {entity['name'].split()[0].lower(): entity for entity in created}


def names(entities):
    return sorted(entity['name'].split()[0].lower() for entity in entities)


async def test_filters(async_client, tag, catalog):
    products = async_client.products
    assert names(await collect(products.filter(f'eq(tag,{tag})', 'eq(status,published)'))) == ['alpha', 'gamma']
    assert names(await collect(products.filter(R().tag.eq(tag) & ~R(status='published')))) == ['beta']
    assert names(await collect(products.filter(
        R().tag.eq(tag), R().status.eq('draft') | R().price.gt(50)))) == ['beta', 'gamma']
    assert names(await collect(products.filter(tag=tag, status__in=['draft', 'published'], price__lt=20))) == [
        'alpha', 'beta']
    assert names(await collect(products.filter(tag=tag, meta__kind='x'))) == ['alpha']
    assert names(await collect(products.filter(tag=tag, meta__null=True))) == ['gamma']
    assert names(await collect(products.filter(tag=tag, name__ilike='*GAMMA*'))) == ['gamma']
    assert names(await collect(products.filter(f'eq(tag,{tag})', 'eq(price,19.990)'))) == ['alpha']
    after = datetime(2024, 1, 2, 10, 0, tzinfo=timezone.utc)
    assert names(await collect(products.filter(R().tag.eq(tag), R().released.ge(after)))) == ['beta', 'gamma']


async def test_order_select_values_list(async_client, tag, catalog):
    rs = async_client.products.filter(tag=tag)
    assert [p['price'] for p in await collect(rs.order_by('-price'))] == [100, 19.99, 9.5]
    selected = await collect(rs.select('name', 'status').order_by('price'))
    assert [row['status'] for row in selected] == ['draft', 'published', 'published']
    assert all('price' not in row and 'meta' not in row for row in selected)
    excluded = await collect(rs.select('-meta', '-released').order_by('price'))
    assert all('meta' not in row and 'released' not in row and 'price' in row for row in excluded)
    values = await collect(rs.order_by('price').values_list('price', 'meta.kind'))
    assert values == [
        {'price': 9.5, 'meta.kind': 'y'}, {'price': 19.99, 'meta.kind': 'x'}, {'price': 100, 'meta.kind': None}]


async def test_count_first(async_client, tag, catalog):
    assert await async_client.products.filter(tag=tag).count() == 3
    assert parse_content_range(async_client.response.headers.get('content-range'))[2] == 3
    assert await async_client.products.filter(tag=tag, status='none').count() == 0
    assert async_client.response.headers['content-range'] == 'items 0-0/0'
    first = await async_client.products.filter(tag=tag).order_by('-released').first()
    assert first['name'] == f'Gamma {tag}'
    assert await async_client.products.filter(tag=tag, status='none').first() is None


async def test_search_raw_space(async_client, tag):
    gizmo = await make_product(async_client, tag, name=f'Blue Gizmo {tag}')
    await make_product(async_client, tag, name='Other', description=f'about {tag}')
    found = await collect(async_client.products.filter(tag=tag).search(f'Gizmo {tag}'))  # '%20' on the wire
    assert ids(found) == [gizmo['id']]
    assert await async_client.products.all().search(tag).count() == 2


async def test_unescaped_special_characters(async_client, tag):
    odd = f'x[1]{{2}}|3^\\ {tag}'
    product = await make_product(async_client, tag, name=odd)
    await make_product(async_client, tag, name='plain')
    found = await collect(async_client.products.filter(f'eq(tag,{tag})', f'eq(name,{odd})'))
    assert ids(found) == [product['id']]
    found = await collect(async_client.products.filter(f'eq(tag,{tag})', 'like(name,*[1]{2}|*)'))
    assert ids(found) == [product['id']]


async def test_quoted_values(async_client, tag):
    tricky = f'a,b (c)&d {tag}'
    product = await make_product(async_client, tag, name=tricky)
    found = await collect(async_client.products.filter(f'eq(tag,{tag})', f'eq(name,"{tricky}")'))
    assert ids(found) == [product['id']]


# --- pages -----------------------------------------------------------------------------------


async def test_iteration_default_page_size(endpoint, paged):
    recorder = RequestRecorder()
    client = AsyncConnectClient(API_KEY, endpoint=endpoint, max_retries=0, logger=recorder)
    rows = await collect(client.items.filter(tag=paged['tag']).order_by('seq'))
    assert [row['seq'] for row in rows] == list(range(PAGED_TOTAL))
    assert [row['id'] for row in rows] == [paged['by_seq'][s]['id'] for s in range(PAGED_TOTAL)]
    assert len(recorder.requests) == 3
    ranges = [parse_content_range(r.headers.get('content-range')) for r in recorder.responses]
    assert ranges == [(0, 99, 250), (100, 199, 250), (200, 249, 250)]


async def test_iteration_limit_30(endpoint, paged):
    recorder = RequestRecorder()
    client = AsyncConnectClient(API_KEY, endpoint=endpoint, max_retries=0, logger=recorder)
    rows = await collect(client.items.filter(tag=paged['tag']).order_by('-seq').limit(30))
    assert [row['seq'] for row in rows] == list(reversed(range(PAGED_TOTAL)))
    assert len(recorder.requests) == 9


async def test_iteration_without_ordering(async_client, paged):
    rows = await collect(async_client.items.filter(tag=paged['tag']).limit(70))
    assert sorted(ids(rows)) == sorted(entity['id'] for entity in paged['by_seq'].values())


async def test_slicing_and_count(async_client, paged):
    rs = async_client.items.filter(tag=paged['tag']).order_by('seq')
    assert [row['seq'] for row in await collect(rs[10:20])] == list(range(10, 20))
    assert [row['seq'] for row in await collect(rs[195:215])] == list(range(195, 215))
    assert [row['seq'] for row in await collect(rs.limit(9)[0:50])] == list(range(50))
    assert await rs.count() == PAGED_TOTAL
    values = await collect(rs.limit(100).values_list('seq'))
    assert values == [{'seq': s} for s in range(PAGED_TOTAL)]


# --- bulk ------------------------------------------------------------------------------------


async def test_bulk_operations(async_client, tag):
    created = await async_client.products.bulk_create(payload=[
        {'name': f'n{i}', 'tag': tag, 'price': i + 0.25} for i in range(4)
    ])
    assert async_client.response.status_code == 201
    assert [p['price'] for p in created] == [0.25, 1.25, 2.25, 3.25]
    updated = await async_client.products.bulk_update(payload=[
        {'id': created[1]['id'], 'status': 'published'}, {'id': created[3]['id'], 'price': 7},
    ])
    assert [(u['id'], u.get('status'), u['price']) for u in updated] == [
        (created[1]['id'], 'published', 1.25), (created[3]['id'], None, 7)]
    assert await async_client.products.bulk_delete(payload=[{'id': created[0]['id']}, {'id': created[2]['id']}]) is None
    remaining = await collect(async_client.products.filter(tag=tag).order_by('price'))
    assert ids(remaining) == [created[1]['id'], created[3]['id']]


async def test_bulk_create_validation(async_client, tag):
    with raises_client_error(422, 'VALIDATION_FAILED') as info:
        await async_client.products.bulk_create(payload=[{'name': 'ok', 'tag': tag}, {'tag': tag}])
    assert any(e.startswith('item ') and 'name' in e for e in info.value.errors), info.value.errors
    assert await async_client.products.filter(tag=tag).count() == 0


# --- actions, namespaces, errors -------------------------------------------------------------


async def test_resource_action(async_client, tag):
    product = await make_product(async_client, tag, status='published')
    result = await async_client.products[product['id']]('endsale').post()
    assert result['status'] == 'endofsale' and result['_meta']['version'] == 2
    with raises_client_error(409, 'ACTION_CONDITION_FAILED'):
        await async_client.products[product['id']]('endsale').post()
    other = await make_product(async_client, tag, status='published')
    assert (await async_client.products[other['id']]('endsale').put(payload={'why': 'x'}))['status'] == 'endofsale'


async def test_collection_action(async_client, tag):
    drafts = [await make_product(async_client, tag, status='draft') for _ in range(2)]
    keep = await make_product(async_client, tag, status='published')
    result = await async_client.products.action(f'discontinue?eq(tag,{tag})').post()
    assert result == {'updated': 2}
    statuses = {p['id']: p['status'] for p in await collect(async_client.products.filter(tag=tag))}
    assert statuses == {drafts[0]['id']: 'discontinued', drafts[1]['id']: 'discontinued', keep['id']: 'published'}


async def test_namespaces_and_nested(async_client, tag):
    service = await async_client('devops').services.create(payload={'name': 'svc', 'tag': tag})
    assert service['id'].startswith('SRVC-')
    envs = async_client.ns('devops').collection('services')[service['id']].collection('environments')
    env = await envs.create(payload={'name': 'dev'})
    assert await envs[env['id']].get() == env
    assert ids(await collect(envs.all())) == [env['id']]
    assert await envs.all().count() == 1
    assert (await envs[env['id']].update(payload={'name': 'development'}))['name'] == 'development'
    await envs[env['id']].delete()
    assert await envs.all().count() == 0
    with raises_client_error(404, 'NOT_FOUND'):
        await async_client('devops').services['SRVC-NOPE-0000'].environments.create(payload={'name': 'x'})


async def test_errors(async_client, tag):
    with raises_client_error(400, 'INVALID_RQL'):
        await async_client.products.filter('foo(bar)').count()
    with raises_client_error(400, 'INVALID_RQL') as info:
        await async_client.products.filter('eq(price,abc)').first()
    assert any('price' in e for e in info.value.errors)
    with raises_client_error(422, 'VALIDATION_FAILED'):
        await async_client.products.create(payload={'tag': tag})
    item = await async_client.items.create(payload={'id': f'dup-{tag}'})
    with raises_client_error(409, 'DUPLICATE_ID'):
        await async_client.items.create(payload={'id': item['id']})
    with raises_client_error(404, 'NOT_FOUND'):
        await async_client.products['PRD-000-000-004'].get()
    with pytest.raises(ClientError) as info:
        await async_client.collection('nosuch').all().count()
    assert info.value.status_code == 404
    check_error_shape(info.value)


async def test_concurrent_requests(async_client, tag):
    created = await asyncio.gather(*[
        make_product(async_client, tag, seq=i, price=i) for i in range(20)
    ])
    assert len(set(ids(created))) == 20
    assert await async_client.products.filter(tag=tag).count() == 20
    results = await asyncio.gather(*[async_client.products[p['id']].get() for p in created])
    assert [r['seq'] for r in results] == list(range(20))
