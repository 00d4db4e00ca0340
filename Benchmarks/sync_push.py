"""Pushes offline edits to a running EntityHub in requests of BATCH mutations on CONNECTIONS keep-alive
connections, and prints the rate of each phase (bodies are made before the clock starts):
  create  N creates of new entities                      → applied
  update  N updates at the current version (base 1)      → applied (version 2)
  merge   N updates of another key with a stale base (1)  → merged (version 3)
Usage: sync_push.py BASE_URL N [BATCH] [CONNECTIONS]; $COLLECTION (default notes) and $AUTHORIZATION."""
import http.client
import json
import os
import sys
import threading
import time
import urllib.parse
import uuid


def bodies(phase, total, batch, run):
    made = []
    for start in range(0, total, batch):
        mutations = []
        for n in range(start, min(start + batch, total)):
            mutation = {"mid": f"{run}-{phase}-{n}", "collection": os.environ.get("COLLECTION", "notes"),
                        "id": f"{run}-{n}"}
            if phase == "create":
                mutation.update(op="create", set={"title": f"note {n}", "done": False, "n": n})
            elif phase == "update":
                mutation.update(op="update", base_version=1, set={"done": True}, base={"done": False})
            else:
                mutation.update(op="update", base_version=1, set={"title": f"note {n} edited"},
                                base={"title": f"note {n}"})
            mutations.append(mutation)
        made.append(json.dumps({"device": f"bench-{run}", "mutations": mutations}).encode())
    return made


def push(url, payloads, connections, expected):
    headers = {"Content-Type": "application/json", "Authorization": os.environ.get("AUTHORIZATION", "")}
    queue = iter(payloads)
    lock = threading.Lock()
    failures = []

    def worker():
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
        while True:
            with lock:
                payload = next(queue, None)
            if payload is None:
                return
            conn.request("POST", "/api/v1/_sync/push", payload, headers)
            response = conn.getresponse()
            answer = response.read()
            if response.status != 200:
                failures.append(f"{response.status} {answer[:300]!r}")
                return
            statuses = {result["status"] for result in json.loads(answer)["results"]}
            if statuses != {expected}:
                failures.append(f"expected only {expected}, got {statuses}")
                return

    start = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        sys.exit(f"push failed: {failures[0]}")
    return time.monotonic() - start


def main():
    base, total = sys.argv[1], int(sys.argv[2])
    batch = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
    connections = int(sys.argv[4]) if len(sys.argv) > 4 else 4
    url = urllib.parse.urlparse(base)
    run = uuid.uuid4().hex[:8]
    for phase, expected in [("create", "applied"), ("update", "applied"), ("merge", "merged")]:
        payloads = bodies(phase, total, batch, run)
        elapsed = push(url, payloads, connections, expected)
        print(f"{phase} {total / elapsed:.0f}")


if __name__ == "__main__":
    main()
