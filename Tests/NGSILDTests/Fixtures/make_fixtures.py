#!/usr/bin/env python3
"""Generates jsonld-oracle.json: NGSI-LD names expanded and compacted by PyLD 3.3.0, the oracle of NGSILDTests.

Run offline, from the repository root, in a throwaway virtual environment:

    python3 -m venv /tmp/pyld-venv && /tmp/pyld-venv/bin/pip install pyld==3.3.0
    /tmp/pyld-venv/bin/python Tests/NGSILDTests/Fixtures/make_fixtures.py [PATH-TO-CORE-CONTEXT]

The core context defaults to ../shared/data/ngsi-ld-core-context-v1.9.jsonld beside the repository. A document
loader serves it for the core URLs and refuses every other URL, so nothing is downloaded.

What the output holds:
- `contexts`: the remote test contexts by URL (the Swift tests serve them with a PreloadedContextLoader);
- `cases`: per client @context (a URL, an object, an array or null) an NGSI-LD entity as sent, its expanded
  form (names and types as IRIs, values untouched) and its compaction with each context of `outputs`;
- `names`: per client @context, single names expanded as attribute names and as types;
- `iris`: per output context, IRIs compacted as attribute names and as type values.

How PyLD is asked, so that its answers are NGSI-LD's (§2.3-§2.5 of the NGSI-LD reference):
- The active context is the client's contexts, then the core context. Remote test contexts are inlined
  (their @context spliced in place of the URL), which is what JSON-LD does when it loads them.
- NGSI-LD ignores a redefinition of a protected core term silently, where JSON-LD fails; so the inlined
  contexts drop, after a core context, the core terms they redefine.
- Each name is expanded, and each IRI compacted, in the position and with the value it has in the entity:
  an attribute through `{name: attribute}`, a type through `@type`, a `vocab`/`objectType` value through the
  core term that holds it. Every case is also expanded and compacted whole, and the member names and types
  must agree with the member-by-member answers, or the script stops.
"""

import copy
import json
import pathlib
import sys

from pyld import jsonld

ROOT = pathlib.Path(__file__).resolve().parents[3]
CORE_PATH = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared/data/ngsi-ld-core-context-v1.9.jsonld"
OUTPUT = pathlib.Path(__file__).resolve().parent / "jsonld-oracle.json"

CORE_URL = "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld"
CORE_URLS = {CORE_URL} | {f"https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.{n}.jsonld" for n in range(3, 10)}
CORE = json.loads(CORE_PATH.read_text(encoding="utf-8"))
NGSI_LD = "https://uri.etsi.org/ngsi-ld/"
HAS_VOCAB = NGSI_LD + "hasVocab"
HAS_OBJECT_TYPE = NGSI_LD + "hasObjectType"
# The core's ngsildproof term holds a scoped context naming this URL; PyLD checks scoped contexts when it
# processes a context, so it gets an empty one (the term is never used here).
DATA_INTEGRITY = "https://w3id.org/security/data-integrity/v2"

# Remote test contexts, by URL.
CONTEXTS = {
    # The worked case of §2.5: C defines almostFull and includes the core.
    "https://example.org/ctx-c.jsonld": {
        "@context": [{"almostFull": "https://example.org/ctx#almostFull"}, CORE_URL]
    },
    # Terms through a prefix, a typed term, a term used with two names, a @type: @id term.
    "https://example.org/building.jsonld": {
        "@context": {
            "ex": "https://example.org/ctx#",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
            "Building": "ex:Building",
            "name": "ex:name",
            "airQualityLevel": "ex:airQualityLevel",
            "almostFull": "ex:almostFull",
            "temperature": {"@id": "ex:temperature", "@type": "xsd:float"},
            "temp": "ex:temperature",
            "locatedAt": {"@id": "ex:locatedAt", "@type": "@id"},
            "isLocatedIn": "ex:locatedAt",
            "category": {"@id": "ex:category", "@type": "@vocab"},
            "Office": "ex:Office",
            "Shop": "ex:Shop",
            "tags": {"@id": "ex:tags", "@container": "@list"},
        }
    },
    # A @vocab of its own: terms relative to it, and a core context applied before the user terms.
    "https://example.org/vocab.jsonld": {
        "@context": [
            CORE_URL,
            {
                "@vocab": "https://example.org/vocab/",
                "speed": {"@type": "@id"},
                "fuel": "fuelLevel",
                "Vehicle": {"@id": "Vehicle"},
                "location": "https://example.org/vocab/myLocation",
                "observedAt": "https://example.org/vocab/observed",
            },
        ]
    },
    # User terms colliding with core terms, without the core: the core applied last wins.
    "https://example.org/collide.jsonld": {
        "@context": {
            "type": "https://example.org/myType",
            "location": "https://example.org/myLocation",
            "Property": "https://example.org/MyProperty",
            "name": "https://example.org/myName",
        }
    },
    # Prefixes only: a simple one, one declared with @prefix, one that cannot be a prefix.
    "https://example.org/prefixes.jsonld": {
        "@context": {
            "schema": "https://schema.org/",
            "sosa": {"@id": "http://www.w3.org/ns/sosa/", "@prefix": True},
            "noprefix": {"@id": "https://example.org/noprefix/"},
            "brick": "https://brickschema.org/schema/Brick#",
        }
    },
    # Nested references: a document that references two others.
    "https://example.org/nested.jsonld": {
        "@context": ["https://example.org/prefixes.jsonld", "https://example.org/building.jsonld"]
    },
    # Several terms for one IRI: the shortest, then the smallest, and a @list term that never suits.
    "https://example.org/synonyms.jsonld": {
        "@context": {
            "level": "https://example.org/level",
            "lvl": "https://example.org/level",
            "lev": "https://example.org/level",
            "levels": {"@id": "https://example.org/level", "@container": "@list"},
            "l": {"@id": "https://example.org/level", "@type": "https://example.org/Unit"},
            "height": {"@id": "https://example.org/height", "@container": "@set"},
            "h": "https://example.org/height",
        }
    },
}


def entity(**members):
    document = {"id": "urn:ngsi-ld:Thing:1", "type": "Thing"}
    document.update(members)
    return document


def prop(value, **members):
    return {"type": "Property", "value": value, **members}


def rel(target, **members):
    return {"type": "Relationship", "object": target, **members}


BUILDING = entity(
    type="Building",
    scope="/Madrid/Gardens",
    name=prop("Eiffel Tower"),
    airQualityLevel=prop(
        4,
        unitCode="C62",
        observedAt="2020-09-09T16:40:00.000Z",
        hasWeatherObserved=rel("urn:ngsi-ld:Sensor:43a1"),
    ),
    almostFull=prop(False),
    locatedAt=rel("urn:ngsi-ld:City:Paris", objectType="City"),
    location={"type": "GeoProperty", "value": {"type": "Point", "coordinates": [13.3986, 52.5547]}},
    speed=[prop(55, datasetId="urn:ngsi-ld:Dataset:gps"), prop(54.5)],
    temperature=prop({"@type": "DateTime", "@value": "2020-09-09T16:40:00Z"}),
    category={"type": "VocabProperty", "vocab": ["Office", "Shop"]},
    description=prop("a building"),
    nested=prop({"name": "not expanded", "type": "not a type", "speed": 1}),
    config={"type": "JsonProperty", "json": {"name": "kept", "almostFull": True}},
)

CASES = [
    {"name": "no context", "context": None, "entity": BUILDING},
    {"name": "core URL", "context": CORE_URL, "entity": BUILDING},
    {
        "name": "worked case C",
        "context": "https://example.org/ctx-c.jsonld",
        "entity": entity(almostFull=prop(True), name=prop("x")),
    },
    {"name": "terms through a prefix", "context": "https://example.org/building.jsonld", "entity": BUILDING},
    {
        "name": "own vocab",
        "context": "https://example.org/vocab.jsonld",
        "entity": entity(
            type=["Vehicle", "Car"],
            speed=prop(80),
            fuel=prop(0.5),
            other=prop(1),
            location={"type": "GeoProperty", "value": {"type": "Point", "coordinates": [1, 2]}},
        ),
    },
    {
        "name": "core terms redefined",
        "context": ["https://example.org/collide.jsonld", {"Building": "https://example.org/Building"}],
        "entity": entity(type="Building", name=prop("n"), location=prop("somewhere")),
    },
    {
        "name": "core terms redefined after the core",
        "context": [CORE_URL, {"location": "https://example.org/myLocation", "speed": "https://example.org/speed"}],
        "entity": entity(location=prop("somewhere"), speed=prop(3), createdBy=prop("me")),
    },
    {
        "name": "array of contexts, the later wins",
        "context": [
            "https://example.org/building.jsonld",
            {"name": "https://example.org/other#name", "extra": "ex:extra"},
            "https://example.org/prefixes.jsonld",
        ],
        "entity": entity(
            type="Building", name=prop("n"), extra=prop(1), almostFull=prop(True), **{"schema:name": prop("s")}
        ),
    },
    {
        "name": "full and compact IRIs",
        "context": "https://example.org/prefixes.jsonld",
        "entity": entity(
            type=["schema:Place", "https://example.org/Thing", "brick:Room"],
            **{
                "https://schema.org/address": prop({"streetAddress": "x"}),
                "schema:name": prop("n"),
                "sosa:observes": rel("urn:ngsi-ld:Property:1"),
                "noprefix:thing": prop(1),
                "unknown:thing": prop(2),
                "urn:ngsi-ld:attr": prop(3),
                "ngsi-ld:default-context/almostFull": prop(4),
                "ngsi-ld:other": prop(5),
                "brick:hasPoint": rel("urn:ngsi-ld:Point:1", objectType="brick:Sensor"),
            },
        ),
    },
    {
        "name": "nested references",
        "context": ["https://example.org/nested.jsonld"],
        "entity": entity(type="Office", name=prop("n"), **{"schema:name": prop("s"), "brick:area": prop(7)}),
    },
    {
        "name": "default context names",
        "context": None,
        "entity": entity(
            type=["Thing", "default"],
            value2=prop(1),
            vocab2=prop(2),
            Type=prop(3),
            state={"type": "VocabProperty", "vocab": "Open"},
            **{"default-context": prop(4), "a/b": prop(5), "ngsi-ld:default-context/x": prop(6)},
        ),
    },
    {
        "name": "synonyms",
        "context": "https://example.org/synonyms.jsonld",
        "entity": entity(level=prop(1), height=prop(2)),
    },
    {
        "name": "inline context with @id and @type members",
        "context": {"Room": "https://example.org/Room", "area": "https://example.org/area"},
        "entity": {"@id": "urn:ngsi-ld:Room:1", "@type": "Room", "area": prop(20)},
    },
]

# Contexts the expanded entities are compacted with (the client's context, and these).
OUTPUTS = {
    "none": None,
    "worked case C": "https://example.org/ctx-c.jsonld",
    "terms through a prefix": "https://example.org/building.jsonld",
    "prefixes": "https://example.org/prefixes.jsonld",
    "own vocab": "https://example.org/vocab.jsonld",
    "synonyms": "https://example.org/synonyms.jsonld",
}

NAMES = [
    "name", "almostFull", "location", "observedAt", "speed", "temperature", "type", "id", "Property", "Building",
    "schema:name", "ngsi-ld:location", "ngsi-ld:default-context/speed", "https://example.org/x", "urn:x:y",
    "unknown:thing", "_:b0", "noprefix:thing", "sosa:observes", "http://a.b/c", "@id", "@foo", "value", "vocab",
    "Vehicle", "fuel", "level", "h",
]

EXTRA_IRIS = [
    NGSI_LD + "default-context/type",
    NGSI_LD + "default-context/id",
    NGSI_LD + "default-context/location",
    NGSI_LD + "default-context/a/b",
    NGSI_LD + "default-context/",
    NGSI_LD + "location",
    NGSI_LD + "hasValue",
    NGSI_LD + "Property",
    NGSI_LD + "createdAt",
    NGSI_LD + "datasetId",
    NGSI_LD + "default-context",
    "https://purl.org/geojson/vocab#Point",
    "https://purl.org/geojson/vocab#",
    "http://purl.org/dc/terms/description",
    "https://example.org/ctx#",
    "https://example.org/ctx#almostFull",
    "https://example.org/vocab/anything",
    "https://example.org/level",
    "https://example.org/height",
    "https://schema.org/name",
    "http://www.w3.org/ns/sosa/observes",
    "https://brickschema.org/schema/Brick#Room",
    "https://example.org/noprefix/thing",
    "urn:ngsi-ld:thing",
]


def loader(url, options=None):
    if url in CORE_URLS:
        document = CORE
    elif url == DATA_INTEGRITY:
        document = {"@context": {}}
    else:
        raise jsonld.JsonLdError(f"offline: {url} is not served", "loading document failed")
    return {"contextUrl": None, "documentUrl": url, "document": copy.deepcopy(document)}


OPTIONS = {"documentLoader": loader}


def as_list(value):
    return value if isinstance(value, list) else [value]


def inline(context, core_seen=False):
    """The client's context as PyLD is given it: remote test contexts spliced in, core redefinitions dropped."""
    result = []
    for item in as_list(context):
        if isinstance(item, str) and item in CORE_URLS:
            result.append(item)
            core_seen = True
        elif isinstance(item, str):
            spliced, core_seen = inline(CONTEXTS[item]["@context"], core_seen)
            result += spliced
        elif isinstance(item, dict) and core_seen:
            result.append({k: v for k, v in item.items() if not redefines_core_term(k, v)})
        else:
            result.append(item)
    return result, core_seen


def redefines_core_term(name, definition):
    """A core term given another definition (context keywords such as @vocab are no terms)."""
    core = CORE["@context"]
    return not name.startswith("@") and name in core and core[name] != definition


def pyld_context(client_context):
    if client_context is None:
        return [CORE_URL]
    return inline(client_context)[0] + [CORE_URL]


def only_key(document):
    keys = [key for key in document if key != "@context"]
    assert len(keys) == 1, document
    return keys[0]


def expand_member(context, name, value):
    """PyLD's expansion of one member: (expanded name, expanded value); None when PyLD drops it."""
    expanded = jsonld.expand({"@context": context, name: value}, OPTIONS)
    if not expanded:
        return None
    node = expanded[0]
    key = only_key(node)
    return key, node[key]


def expand_type(context, name):
    try:
        expanded = jsonld.expand({"@context": context, "@id": "urn:x", "@type": name}, OPTIONS)
    except jsonld.JsonLdError as error:
        return {"error": error.code or str(error)}
    types = expanded[0].get("@type", [])
    if len(types) != 1 or types[0].startswith("@"):
        return {"error": "expands to " + repr(types)}
    return types[0]


def expand_name(context, name):
    try:
        member = expand_member(context, name, {"@id": "urn:x"})
    except jsonld.JsonLdError as error:
        return {"error": error.code or str(error)}
    if member is None or member[0].startswith("@"):
        return {"error": "expands to " + (member[0] if member else "nothing")}
    return member[0]


def expand_vocab_value(context, holder_iri, name):
    holder = jsonld.compact({holder_iri: [{"@id": "urn:probe"}]}, context, OPTIONS)
    holder_term = only_key(holder)
    return expand_member(context, holder_term, name)[1][0]["@id"]


def compact_name(context, iri, expanded_value):
    return only_key(jsonld.compact({iri: expanded_value}, context, OPTIONS))


def compact_type(context, iri):
    compacted = jsonld.compact({"@id": "urn:x", "@type": [iri]}, context, OPTIONS)
    return compacted["type"]


def or_error(compaction, *arguments):
    """PyLD refuses to compact an IRI such as `schema:name` when `schema` is a prefix ("IRI confused with
    prefix"); EntityHub keeps such an IRI as it is. The oracle records the refusal."""
    try:
        return compaction(*arguments)
    except jsonld.JsonLdError as error:
        return {"error": error.code or str(error).splitlines()[0]}


def compact_vocab_value(context, holder_iri, iri):
    compacted = jsonld.compact({holder_iri: [{"@id": iri}]}, context, OPTIONS)
    return compacted[only_key(compacted)]


def map_types(value, mapper):
    return [mapper(v) for v in value] if isinstance(value, list) else mapper(value)


HOLDERS = {"vocab": HAS_VOCAB, "objectType": HAS_OBJECT_TYPE}


def map_members(members, companion, type_like, map_type, map_name):
    """Walks an entity or attribute as EntityNameMapping does. `map_type(member, value)` maps a type-like
    value; `map_name(name, value, companion)` gives a (sub-)attribute's new name and the companion of its
    value: PyLD's expansion of it when compacting, nothing when expanding."""
    result = {}
    for name, member in members.items():
        if name in type_like:
            result[name] = map_types(member, lambda v: map_type(name, v))
        elif name in NEVER_EXPANDED or name.startswith("@"):
            result[name] = member
        else:
            new_name, child = map_name(name, member, companion)
            result[new_name] = map_attribute(member, child, map_type, map_name)
    return result


def map_attribute(value, companion, map_type, map_name):
    if isinstance(value, list):
        companions = companion if isinstance(companion, list) else [companion] * len(value)
        return [map_attribute(v, c, map_type, map_name) for v, c in zip(value, companions)]
    if not isinstance(value, dict):
        return value
    if isinstance(companion, list):
        companion = companion[0]
    return map_members(value, companion, set(HOLDERS), map_type, map_name)


def expand_entity(context, document):
    document = dict(document)
    for keyword, name in (("@id", "id"), ("@type", "type")):
        if keyword in document:
            document[name] = document.pop(keyword)

    def map_type(member, value):
        return expand_type(context, value) if member == "type" else expand_vocab_value(context, HOLDERS[member], value)

    def map_name(name, value, companion):
        return expand_member(context, name, value)[0], None

    return map_members(document, None, {"type"}, map_type, map_name)


def compact_entity(context, expanded, pyld_expanded):
    def map_type(member, value):
        return compact_type(context, value) if member == "type" else compact_vocab_value(context, HOLDERS[member], value)

    def map_name(name, value, companion):
        nested = companion[name]
        return compact_name(context, name, nested), nested

    return map_members(expanded, pyld_expanded, {"type"}, map_type, map_name)


NEVER_EXPANDED = set(
    "id type value object languageMap json vocab objectType datasetId observedAt unitCode createdAt modifiedAt "
    "deletedAt instanceId lang @context scope valueList objectList".split()
)


def check_whole(context, document, expanded, label):
    """The member-by-member answers must agree with PyLD's expansion of the whole document."""
    whole = jsonld.expand({"@context": context, **document}, OPTIONS)[0]
    names = {k for k in expanded if k not in NEVER_EXPANDED}
    whole_names = {k for k in whole if not k.startswith("@") and k != NGSI_LD + "scope"}
    assert names == whole_names, (label, names ^ whole_names)
    assert sorted(as_list(expanded["type"])) == sorted(whole["@type"]), (label, expanded["type"], whole["@type"])
    return whole


def check_whole_compaction(context, whole, compacted, label):
    result = jsonld.compact(whole, context, OPTIONS)
    names = {k for k in compacted if k not in NEVER_EXPANDED}
    whole_names = {k for k in result if k not in NEVER_EXPANDED}
    assert names == whole_names, (label, names ^ whole_names)
    assert as_list(compacted["type"]) == as_list(result["type"]), (label, compacted["type"], result["type"])


def main():
    cases = []
    for case in CASES:
        context = pyld_context(case["context"])
        expanded = expand_entity(context, case["entity"])
        whole = check_whole(context, case["entity"], expanded, case["name"])
        compacted = {}
        for output, output_context in list(OUTPUTS.items()) + [("client", case["context"])]:
            result = compact_entity(pyld_context(output_context), expanded, whole)
            check_whole_compaction(pyld_context(output_context), whole, result, (case["name"], output))
            compacted[output] = result
        cases.append({**case, "expanded": expanded, "compacted": compacted})

    names = []
    for label, client_context in [("none", None)] + [(c["name"], c["context"]) for c in CASES if c["context"]]:
        context = pyld_context(client_context)
        names.append({
            "name": label,
            "context": client_context,
            "attributeNames": {n: expand_name(context, n) for n in NAMES},
            "types": {n: expand_type(context, n) for n in NAMES},
        })

    all_iris = sorted(set(EXTRA_IRIS) | {i for n in names for i in n["attributeNames"].values() if isinstance(i, str)})
    probe_value = [{"@type": [NGSI_LD + "Property"], NGSI_LD + "hasValue": [{"@value": 1}]}]
    iris = []
    for label, output_context in OUTPUTS.items():
        context = pyld_context(output_context)
        iris.append({
            "name": label,
            "context": output_context,
            "attributeNames": {i: or_error(compact_name, context, i, probe_value) for i in all_iris},
            "types": {i: or_error(compact_type, context, i) for i in all_iris},
        })

    oracle = {
        "generator": "Tests/NGSILDTests/Fixtures/make_fixtures.py with PyLD 3.3.0 (pip install pyld==3.3.0)",
        "coreContext": CORE_URL,
        "contexts": CONTEXTS,
        "outputs": OUTPUTS,
        "cases": cases,
        "names": names,
        "iris": iris,
    }
    OUTPUT.write_text(json.dumps(oracle, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {len(cases)} cases, {len(names)} name sets, {len(iris)} IRI sets")


if __name__ == "__main__":
    main()
