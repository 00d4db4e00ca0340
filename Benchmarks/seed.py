"""Loads N entities into a running EntityHub with bulk creates of BATCH entities, on CONNECTIONS
keep-alive connections, and prints the rate. Usage: seed.py BASE_URL N [BATCH] [CONNECTIONS]
The collection is $COLLECTION (default items); $AUTHORIZATION, when set, signs the requests."""
import os
import http.client
import json
import sys
import threading
import time
import urllib.parse

STATUSES = ["draft", "published", "endofsale", "archived", "review", "s5", "s6", "s7", "s8", "s9"]


def body(batch_number, batch):
    items = []
    for i in range(batch):
        n = batch_number * batch + i
        items.append({"name": f"item {n} widget", "status": STATUSES[n % len(STATUSES)],
                      "price": round((n % 10000) / 100 + 0.99, 2), "qty": n % 97})
    return json.dumps(items).encode()


def main():
    base, total = sys.argv[1], int(sys.argv[2])
    batch = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
    connections = int(sys.argv[4]) if len(sys.argv) > 4 else 2
    url = urllib.parse.urlparse(base)
    batches = total // batch
    bodies = [body(b, batch) for b in range(min(batches, 50))]
    next_batch = iter(range(batches))
    lock = threading.Lock()
    collection = os.environ.get("COLLECTION", "items")
    headers = {"Content-Type": "application/json"}
    if os.environ.get("AUTHORIZATION"):
        headers["Authorization"] = os.environ["AUTHORIZATION"]
    failures = []

    def worker():
        conn = http.client.HTTPConnection(url.hostname, url.port)
        while True:
            with lock:
                b = next(next_batch, None)
            if b is None:
                return
            conn.request("POST", f"/api/v1/{collection}", bodies[b % len(bodies)], headers)
            response = conn.getresponse()
            response.read()
            if response.status != 201:
                failures.append(response.status)
                return

    start = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    if failures:
        sys.exit(f"bulk create failed with status {failures[0]}")
    print(f"seeded {batches * batch} entities in {elapsed:.1f} s: {batches * batch / elapsed:,.0f} entities/s")


if __name__ == "__main__":
    main()
