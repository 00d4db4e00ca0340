"""The `entityhub` client commands, run as the built binary against the live server."""

import csv
import io
import json
import os
import subprocess

import pytest

from conftest import API_KEY, _binary


def run_cli(*args, endpoint=None, env=None, stdin=None, check=None, api_key=API_KEY):
    """Runs `entityhub ARGS` with `--endpoint` unless `endpoint` is False, as the admin
    ($ENTITYHUB_API_KEY=`api_key`; None: no key from the environment); returns the CompletedProcess."""
    command = [str(_binary()), *args]
    if endpoint:
        command += ['--endpoint', endpoint]
    environment = {k: v for k, v in os.environ.items() if not k.startswith('ENTITYHUB_')}
    environment['HOME'] = '/nonexistent'
    if api_key is not None:
        environment['ENTITYHUB_API_KEY'] = api_key
    environment.update(env or {})
    result = subprocess.run(
        command, input=stdin, capture_output=True, text=True, env=environment, timeout=120,
    )
    if check is not None:
        assert result.returncode == check, (
            f'{" ".join(args)} exited {result.returncode}\nstdout: {result.stdout[-2000:]}\n'
            f'stderr: {result.stderr[-2000:]}'
        )
    return result


@pytest.fixture
def cli(base_url):
    def call(*args, **kwargs):
        return run_cli(*args, endpoint=base_url, **kwargs)
    return call


def jsonl(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def error_line(result):
    """The one line a failing command prints."""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, f'expected one error line, got: {result.stderr!r}'
    return lines[0]


# CRUD commands

def test_create_get_update_delete_round_trip(cli):
    created = json.loads(cli('create', 'products', '--data', '{"name": "CLI Lamp", "price": 25}', check=0).stdout)
    path = f'products/{created["id"]}'
    assert created['name'] == 'CLI Lamp' and created['_meta']['version'] == 1

    fetched = json.loads(cli('get', path, check=0).stdout)
    assert fetched['price'] == 25
    picked = json.loads(cli('get', path, '--values', 'name,_meta.version', check=0).stdout)
    assert picked == {'name': 'CLI Lamp', '_meta.version': 1}

    updated = json.loads(cli('update', path, '--data', '{"price": 30}', '--if-version', '1', check=0).stdout)
    assert updated['price'] == 30 and updated['name'] == 'CLI Lamp' and updated['_meta']['version'] == 2

    stale = cli('update', path, '--data', '{"price": 31}', '--if-version', '1', check=1)
    assert 'VERSION_MISMATCH' in error_line(stale) and '412' in error_line(stale)
    assert json.loads(cli('get', path, check=0).stdout)['price'] == 30

    merged = json.loads(cli('update', path, '--merge', '--data', '{"price": null}', check=0).stdout)
    assert 'price' not in merged

    cli('delete', path, check=0)
    missing = cli('get', path, check=1)
    assert 'NOT_FOUND' in error_line(missing) and '404' in error_line(missing)


def test_create_from_stdin_array_makes_several(cli, tag):
    body = json.dumps([{'tag': tag, 'n': n} for n in range(3)])
    created = json.loads(cli('create', 'items', '--file', '-', stdin=body, check=0).stdout)
    assert [item['n'] for item in created] == [0, 1, 2]
    assert all(item['id'] for item in created)


def test_validation_errors_print_the_servers_message(cli):
    result = cli('create', 'products', '--data', '{"price": "abc"}', check=1)
    line = error_line(result)
    assert 'VALIDATION_FAILED' in line and 'name' in line


def test_invalid_json_body_is_refused_before_sending(cli):
    result = cli('create', 'items', '--data', '{"a": ', check=1)
    assert 'not valid JSON' in error_line(result)


def test_actions_run_on_entities(cli):
    created = json.loads(
        cli('create', 'products', '--data', '{"name": "Sold", "status": "published"}', check=0).stdout
    )
    result = json.loads(cli('action', f'products/{created["id"]}/endsale', check=0).stdout)
    assert result['status'] == 'endofsale'
    again = cli('action', f'products/{created["id"]}/endsale', check=1)
    assert 'ACTION_CONDITION_FAILED' in error_line(again)


# list

def test_list_filters_orders_selects_and_limits(cli, tag):
    cli('create', 'items', '--data', json.dumps([{'tag': tag, 'n': n, 'name': f'n{n}'} for n in range(30)]), check=0)
    rows = jsonl(cli(
        'list', 'items', '--filter', f'and(eq(tag,{tag}),ge(n,10))', '--order', '-n', '--select', 'n,name',
        '--limit', '5', check=0,
    ).stdout)
    assert [row['n'] for row in rows] == [29, 28, 27, 26, 25]
    assert all(set(row) <= {'id', 'n', 'name', '_meta'} for row in rows)

    every = jsonl(cli('list', 'items', '--filter', f'eq(tag,{tag})', '--all', '--page-size', '7', check=0).stdout)
    assert sorted(row['n'] for row in every) == list(range(30))

    as_json = json.loads(cli('list', 'items', '--filter', f'eq(tag,{tag})', '--format', 'json', '--limit', '3',
                             check=0).stdout)
    assert isinstance(as_json, list) and len(as_json) == 3

    as_csv = list(csv.DictReader(io.StringIO(cli(
        'list', 'items', '--filter', f'eq(tag,{tag})', '--format', 'csv', '--order', 'n', '--limit', '4', check=0,
    ).stdout)))
    assert [row['n'] for row in as_csv] == ['0', '1', '2', '3']

    table = cli('list', 'items', '--filter', f'eq(tag,{tag})', '--format', 'table', '--order', 'n',
                '--select', 'n,name', '--limit', '3', check=0)
    lines = table.stdout.splitlines()
    assert 'n' in lines[0] and 'name' in lines[0]
    assert any('n2' in line for line in lines[2:])
    assert '1–3 of 30 entities' in table.stderr


def test_bad_rql_is_one_line_with_the_position(cli):
    result = cli('list', 'items', '--filter', 'eq(a,', check=1)
    assert 'INVALID_RQL' in error_line(result)


# argument validation

@pytest.mark.parametrize('args, message', [
    (['list', 'items', '--limit', '-1'], '--limit'),
    (['list', 'items', '--all', '--limit', '3'], '--all'),
    (['list', 'items', '--page-size', '5000'], '--page-size'),
    (['import', 'items', 'x.csv', '--batch-size', '0'], '--batch-size'),
    (['export', 'items', '--format', 'table'], '--format'),
    (['create', 'items', '--data', '{}', '--file', 'x'], '--data'),
    (['get', 'products'], 'COLLECTION/ID'),
])
def test_invalid_arguments_are_refused(cli, args, message):
    result = cli(*args)
    assert result.returncode != 0
    assert message in result.stderr


def test_endpoint_comes_from_environment_and_config_file(base_url, tmp_path, tag):
    created = run_cli('create', 'items', '--data', json.dumps({'tag': tag}),
                      env={'ENTITYHUB_ENDPOINT': base_url}, check=0)
    item = json.loads(created.stdout)
    config = tmp_path / 'config.json'
    config.write_text(json.dumps({'endpoint': base_url + '/api/v1', 'api_key': API_KEY}))
    fetched = run_cli('get', f'items/{item["id"]}', env={'ENTITYHUB_CONFIG': str(config)}, api_key=None, check=0)
    assert json.loads(fetched.stdout)['tag'] == tag
    config.write_text(json.dumps({'endpoint': base_url + '/api/v1', 'api_key': 'ApiKey SU-000:wrong'}))
    refused = run_cli('get', f'items/{item["id"]}', env={'ENTITYHUB_CONFIG': str(config)}, api_key=None, check=1)
    assert '401' in error_line(refused) and 'UNAUTHORIZED' in error_line(refused)

    config.write_text('{"endpoint": 3, "colour": "blue"}')
    broken = run_cli('get', f'items/{item["id"]}', env={'ENTITYHUB_CONFIG': str(config)}, api_key=None, check=1)
    assert 'colour' in error_line(broken)


def test_unreachable_server_is_one_clear_line():
    result = run_cli('get', 'items/x', '--endpoint', 'http://127.0.0.1:9', '--timeout', '5', check=1)
    assert 'no answer from the server' in error_line(result)


# import / export

def write_csv(path, rows, fields):
    with open(path, 'w', newline='') as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def test_import_ten_thousand_csv_records_and_export_them_back(cli, tag, tmp_path):
    rows = [
        {'n': n, 'name': f'widget, "{n}"\nsecond line' if n % 1000 == 0 else f'widget {n}',
         'price': f'{n % 500}.25', 'active': 'true' if n % 2 else 'false', 'address.city': f'city{n % 7}',
         'tag': tag}
        for n in range(10_000)
    ]
    source = tmp_path / 'records.csv'
    write_csv(source, rows, ['n', 'name', 'price', 'active', 'address.city', 'tag'])

    result = cli('import', 'items', str(source), '--batch-size', '700', '--progress', 'lines', check=0)
    assert '10000' in result.stderr.replace(',', '')

    exported = tmp_path / 'export.csv'
    cli('export', 'items', '--format', 'csv', '--filter', f'eq(tag,{tag})', '--output', str(exported), check=0)
    with open(exported, newline='') as handle:
        back = list(csv.DictReader(handle))
    assert len(back) == 10_000
    assert all(row['id'] for row in back)
    by_n = {int(row['n']): row for row in back}
    for original in rows:
        row = by_n[original['n']]
        for field in ('name', 'price', 'active', 'address.city', 'tag'):
            assert row[field] == str(original[field]), (field, row, original)

    lines = jsonl(cli('export', 'items', '--filter', f'eq(tag,{tag})', check=0).stdout)
    assert len(lines) == 10_000
    sample = next(line for line in lines if line['n'] == 4321)
    assert sample['price'] == 321.25 and sample['active'] is True and sample['address'] == {'city': 'city2'}
    assert '_meta' not in sample


def test_import_reports_refused_records_by_line_and_keeps_the_rest(cli, tmp_path, tag):
    source = tmp_path / 'products.jsonl'
    records = []
    for n in range(50):
        if n in (7, 31):
            records.append(json.dumps({'price': n, 'tag': tag}))  # no name: refused by the schema
        elif n == 20:
            records.append('{"name": "broken"')                # not JSON
        else:
            records.append(json.dumps({'name': f'imported {n}', 'price': n, 'tag': tag}))
    source.write_text('\n'.join(records) + '\n')

    result = cli('import', 'products', str(source), '--batch-size', '10', check=2)
    assert 'line 8' in result.stderr and 'line 32' in result.stderr and 'line 21' in result.stderr
    assert 'name' in result.stderr
    imported = jsonl(cli('export', 'products', '--filter', f'eq(tag,{tag})', check=0).stdout)
    assert len(imported) == 47


def test_import_json_array_from_stdin(cli, tag):
    body = json.dumps([{'tag': tag, 'n': n} for n in range(25)])
    cli('import', 'items', '-', '--format', 'json', '--batch-size', '10', stdin=body, check=0)
    exported = jsonl(cli('export', 'items', '--filter', f'eq(tag,{tag})', check=0).stdout)
    assert sorted(item['n'] for item in exported) == list(range(25))


def test_import_to_a_missing_collection_stops_with_one_line(cli, tmp_path):
    source = tmp_path / 'x.jsonl'
    source.write_text('{"a": 1}\n')
    result = cli('import', 'nowhere', str(source), check=1)
    assert 'NOT_FOUND' in result.stderr.splitlines()[-1]
