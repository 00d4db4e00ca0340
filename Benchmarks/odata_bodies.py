"""Request bodies and a schema for Benchmarks/odata.sh, and a check that a $batch body is answered in full.

Usage:
  odata_bodies.py schema FILE COLLECTIONS     a schema of COLLECTIONS collections (six typed fields each,
                                              every one but the first referencing the one before it)
  odata_bodies.py multipart FILE COUNT        one multipart/mixed $batch: a changeset of COUNT POST items
  odata_bodies.py json FILE COUNT             one JSON $batch: COUNT POST items in one atomicity group
  odata_bodies.py bulk FILE COUNT             a REST bulk create of COUNT items (a JSON array)
  odata_bodies.py check URL FILE CONTENT_TYPE COUNT
                                              POSTs FILE once (Authorization: $AUTHORIZATION) and fails
                                              unless COUNT parts were answered 201
The items are those of seed.py (name, status, price, qty). Multipart bodies use CRLF line ends.
"""
import json
import os
import re
import sys
import urllib.request

BOUNDARY = "batch_bench"
CHANGESET = "changeset_bench"
STATUSES = ["draft", "published", "endofsale", "archived", "review", "s5", "s6", "s7", "s8", "s9"]


def item(n):
    return {"name": f"batch {n} widget", "status": STATUSES[n % len(STATUSES)],
            "price": round((n % 10000) / 100 + 0.99, 2), "qty": n % 97}


def schema(collections):
    declared = {}
    for i in range(collections):
        fields = {"name": {"type": "string", "required": True}, "status": {"type": "string"},
                  "price": {"type": "decimal"}, "qty": {"type": "integer"}, "day": {"type": "date"},
                  "tags": {"type": "array", "items": {"type": "string"}}}
        if i > 0:
            fields["parentId"] = {"type": "reference", "collection": f"c{i - 1:03}", "navigation": "parent",
                                  "inverse": "children"}
        declared[f"c{i:03}"] = {"fields": fields, "indexes": ["status"]}
    return {"collections": declared}


def multipart(count):
    crlf = "\r\n"
    parts = []
    for n in range(count):
        parts.append(f"--{CHANGESET}{crlf}Content-Type: application/http{crlf}Content-Transfer-Encoding: binary{crlf}"
                     f"Content-ID: {n + 1}{crlf}{crlf}POST items HTTP/1.1{crlf}Content-Type: application/json{crlf}"
                     f"{crlf}{json.dumps(item(n))}{crlf}")
    return (f"--{BOUNDARY}{crlf}Content-Type: multipart/mixed; boundary={CHANGESET}{crlf}{crlf}"
            + "".join(parts) + f"--{CHANGESET}--{crlf}--{BOUNDARY}--{crlf}")


def json_batch(count):
    return json.dumps({"requests": [
        {"id": str(n + 1), "atomicityGroup": "g", "method": "post", "url": "items",
         "headers": {"content-type": "application/json"}, "body": item(n)} for n in range(count)]})


def check(url, path, content_type, count):
    with open(path, "rb") as body:
        request = urllib.request.Request(url, data=body.read(), method="POST", headers={
            "Content-Type": content_type, "Authorization": os.environ.get("AUTHORIZATION", ""),
            "Accept": content_type.split(";")[0]})
    with urllib.request.urlopen(request, timeout=300) as response:
        text = response.read().decode()
    if content_type.startswith("multipart/"):
        created = len(re.findall(r"HTTP/1\.1 201", text))
    else:
        created = sum(1 for answer in json.loads(text)["responses"] if answer["status"] == 201)
    if created != count:
        sys.exit(f"{path}: {created} of {count} parts answered 201: {text[:500]}")


def main():
    command, path = sys.argv[1], sys.argv[2]
    if command == "check":
        check(path, sys.argv[3], sys.argv[4], int(sys.argv[5]))
        return
    count = int(sys.argv[3])
    if command == "schema":
        text = json.dumps(schema(count))
    elif command == "multipart":
        text = multipart(count)
    elif command == "json":
        text = json_batch(count)
    elif command == "bulk":
        text = json.dumps([item(n) for n in range(count)])
    else:
        sys.exit(f"unknown command {command}")
    with open(path, "w", newline="") as out:
        out.write(text)


if __name__ == "__main__":
    main()
