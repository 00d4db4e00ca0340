"""oaio benchmark (issue 15): a client with OBJECTS subscribed objects syncs after one change.

Usage (the oaio venv, against a running server; Benchmarks/oaio.sh runs it on both backends):
    .build/oaio-venv/bin/python Benchmarks/oaio.py BASE_URL ADMIN_AUTHORIZATION [OBJECTS=10000] [SECONDS=10]

1. A user with a password is made through the admin API; OBJECTS objects are registered for them through
   `POST /api/register/` (8 threads, each its own login).
2. The unmodified `ae-oaio-client` (device B) syncs once: it downloads every object.
3. For SECONDS: device A uploads a change of one object (raw `upload/`), then device B's
   `synchronize_with_server_if_online()` runs: the client's whole sync (its `current_stamp/`, the full
   `oaio_stampz/` list it fetches every time, its local files, the download of the changed object).
4. `GET /api/oaio_stampz/` alone, 30 times: the time to the last byte of the list on loopback (an upper
   bound of the server's time; the list is about 300 bytes per object).

Prints `key value` lines: registered/s, first sync seconds, syncs/s, stampz p50/p99 ms and the list size.
"""

import json
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime, timezone
from urllib.parse import urlsplit

import requests
from ae.oaio_client import OaioClient


def now_stamp():
    return datetime.now(timezone.utc).strftime('%Y%m%d%H%M%S%f')


class Session:
    """A logged-in raw oaio session (cookies and CSRF token)."""

    def __init__(self, base, user, password):
        self.api = base + '/api/'
        self.http = requests.Session()
        self.http.get(self.api + 'login/').raise_for_status()
        self.http.headers['X-CSRFToken'] = self.http.cookies['csrftoken']
        self.http.headers.update({'X-OAIO-user': repr(user.encode()), 'X-OAIO-dvc': "b'devA'",
                                  'X-OAIO-app': "b'bench'"})
        response = self.http.post(self.api + 'login/', json={'username': user, 'password': password})
        response.raise_for_status()
        self.http.headers['X-CSRFToken'] = self.http.cookies['csrftoken']
        self.user = user

    def post(self, route, body):
        response = self.http.post(self.api + route, json=body)
        if not response.ok:
            raise SystemExit(f'{route}: HTTP {response.status_code} {response.text[:300]}')
        return response.json()

    def register(self, oaio_id, stamp, values):
        return self.post('register/', self.object(oaio_id, stamp, '', values, {}))

    def upload(self, oaio_id, stamp, base_stamp, values, base_values):
        return self.post('upload/', self.object(oaio_id, stamp, base_stamp, values, base_values))

    def object(self, oaio_id, stamp, base_stamp, values, base_values):
        return {'oaio_id': oaio_id, 'client_stamp': stamp, 'server_stamp': base_stamp, 'client_values': values,
                'server_values': base_values, 'csh_id': None, 'username': self.user, 'device_id': 'devA',
                'app_id': 'bench', 'csh_access_right': 'C'}


def main():
    base, admin = sys.argv[1].rstrip('/'), sys.argv[2]
    objects = int(sys.argv[3]) if len(sys.argv) > 3 else 10000
    seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 10.0
    user, password = 'bench' + uuid.uuid4().hex[:6], 'bench-pw'
    made = requests.post(base + '/api/v1/_admin/users', json={'name': user, 'password': password},
                         headers={'Authorization': admin})
    made.raise_for_status()

    ids = [f'bench⫻{user}﹫devA⁄item␣{n:05d}⁄{uuid.uuid4().hex}' for n in range(objects)]
    values = {oaio_id: {'title': f'item {n}', 'done': False, 'n': n} for n, oaio_id in enumerate(ids)}
    stamps = {}
    lock = threading.Lock()

    def register(chunk):
        session = Session(base, user, password)
        for oaio_id in chunk:
            stamp = now_stamp()
            session.register(oaio_id, stamp, values[oaio_id])
            with lock:
                stamps[oaio_id] = stamp

    started = time.perf_counter()
    threads = [threading.Thread(target=register, args=(ids[i::8],)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(f'registered/s {objects / (time.perf_counter() - started):.0f}', flush=True)

    host = urlsplit(base).netloc
    root = tempfile.mkdtemp(prefix='oaio-bench-')
    client = OaioClient(host, {'username': user, 'password': password}, app_id='bench', device_id='devB',
                        client_root=root)
    started = time.perf_counter()
    assert client.synchronize_with_server_if_online(), client.error_message
    assert len(client.client_objectz) == objects, len(client.client_objectz)
    print(f'first_sync_s {time.perf_counter() - started:.2f}', flush=True)

    device_a = Session(base, user, password)
    syncs, n = 0, 0
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        oaio_id = ids[n % objects]
        n += 1
        new_values = {**values[oaio_id], 'done': not values[oaio_id]['done']}
        stamp = now_stamp()
        device_a.upload(oaio_id, stamp, stamps[oaio_id], new_values, values[oaio_id])
        values[oaio_id], stamps[oaio_id] = new_values, stamp
        assert client.synchronize_with_server_if_online(), client.error_message
        assert client.client_objectz[oaio_id].client_values == new_values
        syncs += 1
    print(f'syncs/s {syncs / (time.perf_counter() - started):.2f}', flush=True)

    times = []
    size = 0
    for _ in range(30):
        begin = time.perf_counter()
        response = device_a.http.get(device_a.api + 'oaio_stampz/')
        size = len(response.content)
        times.append((time.perf_counter() - begin) * 1000)
        response.raise_for_status()
    times.sort()
    print(f'stampz_p50_ms {statistics.median(times):.1f}', flush=True)
    print(f'stampz_p99_ms {times[int(len(times) * 0.99) - 1]:.1f}', flush=True)
    print(f'stampz_bytes {size}', flush=True)
    assert len(json.loads(response.content)) == objects


if __name__ == '__main__':
    main()
