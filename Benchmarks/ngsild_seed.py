"""Seeds NGSI-LD entities through batch upsert, and writes upsert bodies for the benchmark.

Usage:
  ngsild_seed.py seed BASE COUNT            upserts COUNT entities (10,000 per request), ids urn:ngsi-ld:Room:N
  ngsild_seed.py body FILE START COUNT      writes an upsert body of COUNT entities from id START
Entities have three attributes (temperature 0–49, humidity, location) and one of five types; each
carries the core @context, as ngsildclient sends them (application/ld+json).
"""
import json
import random
import sys
import time
import urllib.request

TYPES = ["Room", "Sensor", "Building", "Vehicle", "Parking"]
CORE = "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld"


def entity(number, rng):
    return {
        "id": f"urn:ngsi-ld:Room:{number}",
        "type": TYPES[number % len(TYPES)],
        "temperature": {"type": "Property", "value": rng.randrange(50), "unitCode": "CEL"},
        "humidity": {"type": "Property", "value": round(rng.random() * 100, 1)},
        "location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [rng.random() * 10, 50 + rng.random()]}},
        "@context": [CORE],
    }


def body(start, count, seed):
    rng = random.Random(seed)
    return json.dumps([entity(n, rng) for n in range(start, start + count)]).encode()


def upsert(base, data):
    request = urllib.request.Request(
        base + "/ngsi-ld/v1/entityOperations/upsert", data=data, method="POST",
        headers={"Content-Type": "application/ld+json"})
    with urllib.request.urlopen(request, timeout=300) as response:
        if response.status not in (201, 204):
            raise SystemExit(f"upsert answered {response.status}")


def main():
    if sys.argv[1] == "seed":
        base, count = sys.argv[2], int(sys.argv[3])
        started = time.monotonic()
        for start in range(0, count, 10_000):
            upsert(base, body(start, min(10_000, count - start), start))
        elapsed = time.monotonic() - started
        print(f"seeded {count} NGSI-LD entities in {elapsed:.1f} s ({count / elapsed:,.0f} entities/s)")
    else:
        path, start, count = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
        with open(path, "wb") as out:
            out.write(body(start, count, start + 1))


if __name__ == "__main__":
    main()
