"""Sync events and retention over real HTTP (issue 14), on both backends, each on a server of its own
started with a short heartbeat, two event streams at most and a 2-second retention:

- `GET /api/v1/_sync/events` (Server-Sent Events) says `event: changes` with the newest sequence when a
  write reaches the caller's feed — and not for writes the caller cannot see — with heartbeat comments
  between; a third stream is refused with 503; open streams end when the server stops, which still exits
  cleanly.
- `--sync-retention`: a cursor older than the retention is `410 CURSOR_EXPIRED`; a new snapshot works.
"""

import json
import queue
import threading
import time

import requests

from clienthelpers import AuthorizedHTTP, new_user
from conftest import stop_cleanly


def user_http(endpoint):
    name, http = new_user(endpoint, 'ev')
    return name, http.authorization


class EventStream:
    """An open `/_sync/events` stream read line by line on a thread of its own."""

    def __init__(self, endpoint, authorization, cursor=None):
        params = {'cursor': cursor} if cursor else {}
        self.response = requests.get(f'{endpoint}/_sync/events', params=params, stream=True, timeout=30,
                                     headers={'Authorization': authorization})
        self.lines = queue.Queue()
        if self.response.status_code == 200:
            threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        try:
            for line in self.response.raw:
                self.lines.put(line.decode().rstrip('\n'))
        except Exception:  # the connection ended
            pass
        self.lines.put(None)

    def events(self, seconds):
        """(events as (name, data), comments) read within `seconds`; stops early at the first event."""
        events, comments, name = [], [], None
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            if line is None:
                comments.append(None)
                break
            if line.startswith(':'):
                comments.append(line)
            elif line.startswith('event: '):
                name = line[len('event: '):]
            elif line.startswith('data: '):
                events.append((name, json.loads(line[len('data: '):])))
                return events, comments
        return events, comments

    def close(self):
        self.response.close()


def start(storage, tmp_path):
    instance = storage.start(tmp_path / 'server.log', extra_args=[
        '--sync-heartbeat', '0.3', '--max-sync-streams', '2', '--sync-retention', '2s'])
    return instance.wait_healthy()


def test_a_stream_tells_its_user_when_their_feed_grows_and_nothing_else(storage, tmp_path):
    instance = start(storage, tmp_path)
    streams = []
    try:
        endpoint = instance.endpoint
        alice, alice_key = user_http(endpoint)
        _, bob_key = user_http(endpoint)
        alice_http, bob_http = AuthorizedHTTP(alice_key), AuthorizedHTTP(bob_key)

        stream = EventStream(endpoint, alice_key)
        streams.append(stream)
        assert stream.response.status_code == 200, stream.response.text
        assert stream.response.headers['Content-Type'] == 'text/event-stream'
        events, comments = stream.events(1.0)
        assert events == [], events  # nothing new for alice yet
        assert ': heartbeat' in comments, comments  # every 0.3 s

        assert bob_http.post(f'{endpoint}/items', json={'t': 'bob only'}).status_code == 201
        events, _ = stream.events(1.0)
        assert events == [], 'a private write of another user is not told to alice'

        mine = alice_http.post(f'{endpoint}/items', json={'t': 'mine'}).json()
        events, _ = stream.events(5.0)
        assert [name for name, _ in events] == ['changes'], events
        first = events[0][1]['seq']
        page = alice_http.get(f'{endpoint}/_sync/changes').json()
        assert mine['id'] in [change['id'] for change in page['changes']]
        assert first == max(change['seq'] for change in page['changes'])

        shared = bob_http.post(f'{endpoint}/items', json={'t': 'for alice'}).json()
        granted = bob_http.put(f'{endpoint}/items/{shared["id"]}/_access/{alice}', json={'right': 'r'})
        assert granted.status_code == 200, granted.text
        events, _ = stream.events(5.0)
        assert events and events[0][1]['seq'] > first, 'a share reaches the grantee'

        # A client that reconnects with its cursor hears at once when it is behind.
        behind = EventStream(endpoint, alice_key, cursor=page['cursor'])
        streams.append(behind)
        events, _ = behind.events(5.0)
        assert events and events[0][1]['seq'] > first

        refused = requests.get(f'{endpoint}/_sync/events', headers={'Authorization': alice_key}, timeout=10)
        assert refused.status_code == 503, refused.text
        assert refused.json()['error_code'] == 'UNAVAILABLE'
        assert refused.headers.get('Retry-After')

        bad = requests.get(f'{endpoint}/_sync/events', params={'cursor': 'nope'},
                           headers={'Authorization': alice_key}, timeout=10)
        assert bad.status_code == 400 and bad.json()['error_code'] == 'INVALID_REQUEST'
    finally:
        # The streams are still open: the server must end them and stop cleanly.
        stop_cleanly(instance)
        for stream in streams:
            stream.close()


def test_a_cursor_older_than_the_retention_expires(storage, tmp_path):
    instance = start(storage, tmp_path)
    try:
        endpoint = instance.endpoint
        _, key = user_http(endpoint)
        http = AuthorizedHTTP(key)
        kept = http.post(f'{endpoint}/items', json={'t': 'kept'}).json()
        gone = http.post(f'{endpoint}/items', json={'t': 'gone'}).json()
        cursor = http.get(f'{endpoint}/_sync/changes').json()['cursor']
        assert http.delete(f'{endpoint}/items/{gone["id"]}').status_code == 204
        fresh = http.get(f'{endpoint}/_sync/changes', params={'cursor': cursor})
        assert fresh.status_code == 200 and [c['op'] for c in fresh.json()['changes']] == ['delete']

        expired = None
        for _ in range(40):  # the sweeper runs every second with a 2 s retention
            time.sleep(0.25)
            expired = http.get(f'{endpoint}/_sync/changes', params={'cursor': cursor})
            if expired.status_code == 410:
                break
        assert expired.status_code == 410, expired.text
        assert expired.json()['error_code'] == 'CURSOR_EXPIRED'
        assert 'retention' in expired.json()['errors'][0]

        snapshot = http.get(f'{endpoint}/_sync/changes', params={'limit': 1})
        assert snapshot.status_code == 200
        ids, page = [], snapshot.json()
        while True:
            ids += [change['id'] for change in page['changes']]
            if not page['more']:
                break
            page = http.get(f'{endpoint}/_sync/changes', params={'cursor': page['cursor'], 'limit': 1}).json()
        assert ids == [kept['id']]
        after = http.get(f'{endpoint}/_sync/changes', params={'cursor': page['cursor']})
        assert after.status_code == 200 and after.json()['changes'] == []
    finally:
        stop_cleanly(instance)
