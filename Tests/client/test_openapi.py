"""The served OpenAPI document: valid 3.1, describes the schema, and usable by the client's specs mode."""

import pytest
from connect.client import ClientError, ConnectClient
from openapi_spec_validator import validate

from clienthelpers import anonymous_http
from conftest import API_KEY


@pytest.fixture(scope='module')
def spec(endpoint):
    # Deliberately anonymous: the document describes the API and is served to anyone.
    response = anonymous_http.get(f'{endpoint}/openapi.json', timeout=30)
    assert response.status_code == 200, response.text[:500]
    assert response.headers['Content-Type'].startswith('application/json')
    return response.json()


def normalise(path):
    """Paths may be written relative to the endpoint or with the /api/v1 prefix."""
    return path[len('/api/v1'):] if path.startswith('/api/v1/') else path


def test_document_is_valid_openapi_31(spec):
    assert spec['openapi'].startswith('3.1'), spec.get('openapi')
    validate(spec)


def test_schema_collections_are_described(spec):
    paths = {normalise(p): item for p, item in spec['paths'].items()}
    assert '/products' in paths, sorted(paths)
    assert '/devops/services' in paths, sorted(paths)
    assert {'get', 'post'} <= set(paths['/products']), paths['/products'].keys()
    resource = [p for p in paths if p.startswith('/products/{') and p.count('/') == 2]
    assert resource, sorted(paths)
    assert {'get', 'put', 'delete'} <= set(paths[resource[0]])
    assert any(p.startswith('/devops/services/{') and p.endswith('/environments') for p in paths), sorted(paths)
    assert any(p.startswith('/products/{') and p.endswith('/endsale') for p in paths), sorted(paths)
    assert '/products/discontinue' in paths, sorted(paths)
    assert '/items' in paths and '/gadgets' in paths


def test_product_fields_are_described(spec):
    text = str(spec)
    for field in ('name', 'price', 'status', 'released'):
        assert field in text


def test_client_can_use_served_specs(endpoint):
    client = ConnectClient(
        API_KEY, endpoint=endpoint, max_retries=0,
        use_specs=True, specs_location=f'{endpoint}/openapi.json', validate_using_specs=True,
    )
    if not client.specs.exists('get', 'products'):
        pytest.fail('paths in the served document must be relative to the endpoint for use_specs')
    created = client.products.create(payload={'name': 'via specs', 'tag': 'specs'})
    assert client.products[created['id']].get()['name'] == 'via specs'
    assert client.products.filter(tag='specs').count() >= 1
    assert client('devops').services.all().count() >= 0
    with pytest.raises(ClientError) as info:
        client.collection('nosuchthing').all().count()
    assert 'does not exist' in str(info.value)
