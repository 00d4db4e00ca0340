"""Loads N products into a running EntityHub with bulk creates of BATCH entities, on CONNECTIONS keep-alive
connections, and prints the rate (issue 16: Benchmarks/mixed.sh and Benchmarks/peer.sh).
Usage: products_seed.py BASE_URL N [BATCH=1000] [CONNECTIONS=2]
Each product is {"name", "status", "price"}; status takes the values of STATUSES in turn, so that
eq(status,published) matches a quarter of them. $COLLECTION (default products) is the collection,
$AUTHORIZATION, when set, signs the requests. The created entities are read from the answers:
$IDS_FILE, when set, receives every id (one a line), and $SQLITE_FILE, when set, a SQLite database with the
same rows (table products: id TEXT PRIMARY KEY, status, price, name, and an index on status) for datasette."""
import http.client
import json
import os
import sqlite3
import sys
import threading
import time
import urllib.parse

STATUSES = ["published", "draft", "review", "archived"]


def body(batch_number, batch):
    items = []
    for i in range(batch):
        n = batch_number * batch + i
        items.append({"name": f"product {n} widget", "status": STATUSES[n % len(STATUSES)],
                      "price": round((n % 10000) / 100 + 0.99, 2)})
    return json.dumps(items).encode()


def main():
    base, total = sys.argv[1], int(sys.argv[2])
    batch = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
    connections = int(sys.argv[4]) if len(sys.argv) > 4 else 2
    url = urllib.parse.urlparse(base)
    batches = total // batch
    next_batch = iter(range(batches))
    lock = threading.Lock()
    collection = os.environ.get("COLLECTION", "products")
    headers = {"Content-Type": "application/json"}
    if os.environ.get("AUTHORIZATION"):
        headers["Authorization"] = os.environ["AUTHORIZATION"]
    ids = open(os.environ["IDS_FILE"], "w") if os.environ.get("IDS_FILE") else None
    database = None
    if os.environ.get("SQLITE_FILE"):
        database = sqlite3.connect(os.environ["SQLITE_FILE"], check_same_thread=False)
        database.execute("CREATE TABLE products (id TEXT PRIMARY KEY, status TEXT, price REAL, name TEXT)")
    keep = ids is not None or database is not None
    failures = []

    def worker():
        conn = http.client.HTTPConnection(url.hostname, url.port)
        while not failures:
            with lock:
                b = next(next_batch, None)
            if b is None:
                return
            conn.request("POST", f"/api/v1/{collection}", body(b, batch), headers)
            response = conn.getresponse()
            answer = response.read()
            if response.status != 201:
                failures.append(f"{response.status}: {answer[:300]!r}")
                return
            if keep:
                created = json.loads(answer)
                with lock:
                    if ids is not None:
                        ids.write("".join(e["id"] + "\n" for e in created))
                    if database is not None:
                        database.executemany("INSERT INTO products VALUES (?, ?, ?, ?)",
                                             [(e["id"], e["status"], e["price"], e["name"]) for e in created])

    start = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    if failures:
        sys.exit(f"bulk create failed with status {failures[0]}")
    if ids is not None:
        ids.close()
    if database is not None:
        # (status, id): datasette lists a table in primary-key order, so the filtered page reads the index
        # in order, as EntityHub's (collection, value, id) index does.
        database.execute("CREATE INDEX products_status ON products (status, id)")
        database.commit()
        database.execute("ANALYZE")
        database.commit()
        database.close()
    print(f"seeded {batches * batch} entities in {elapsed:.1f} s: {batches * batch / elapsed:,.0f} entities/s")


if __name__ == "__main__":
    main()
