#!/usr/bin/env python3
"""Writes the generated seeds of corpus/: tiny valid snapshots (a service whose 'heartbeat'
listeners grow) and the series the analysis target starts from. The other seeds are copies of
test fixtures and reproducers (see README.md). Run from tests/fuzz/; the output is committed."""
import gzip
import json
import os

META = {
    "node_fields": ["type", "name", "id", "self_size", "edge_count", "trace_node_id", "detachedness"],
    "node_types": [["hidden", "array", "string", "object", "code", "closure", "regexp", "number",
                    "native", "synthetic", "concatenated string", "sliced string", "symbol", "bigint",
                    "object shape", "wasm object"], "string", "number", "number", "number", "number",
                   "number"],
    "edge_fields": ["type", "name_or_index", "to_node"],
    "edge_types": [["context", "element", "property", "internal", "hidden", "shortcut", "weak"],
                   "string_or_number", "node"],
    "trace_function_info_fields": ["function_id", "name", "script_name", "script_id", "line", "column"],
    "trace_node_fields": ["id", "function_info_index", "count", "size", "children"],
    "sample_fields": ["timestamp_us", "last_assigned_id"],
    "location_fields": ["object_index", "script_id", "line", "column"],
}
STRINGS = ["<dummy>", "", "(GC roots)", "Object", "PresenceService", "Array", "onBeat",
           "system / Script", "/app/src/presence.js", "system / Context", "service", "_events",
           "heartbeat", "script", "name", "shared", "context"]
T = {"hidden": 0, "array": 1, "string": 2, "object": 3, "code": 4, "closure": 5, "synthetic": 9}
E = {"context": 0, "element": 1, "property": 2, "internal": 3, "shortcut": 5}


def snapshot(listeners):
    """Root -> (GC roots) -> Object.service -> PresenceService._events.heartbeat -> Array of
    `listeners` onBeat closures sharing one context and one code object."""
    s = STRINGS.index
    nodes, edges = [], []
    # (type, name, self_size, [(edge type, name or index, target node)])
    fixed = [
        ("synthetic", "", 0, [("element", 1, 1), ("shortcut", s("service"), 2)]),
        ("synthetic", "(GC roots)", 0, [("element", 1, 2)]),
        ("object", "Object", 24, [("property", s("service"), 3)]),
        ("object", "PresenceService", 40, [("property", s("_events"), 4)]),
        ("object", "Object", 32, [("property", s("heartbeat"), 5)]),
        ("array", "Array", 16 + 8 * listeners,
         [("element", i, 10 + i) for i in range(listeners)]),
        ("code", "onBeat", 56, [("internal", s("script"), 7)]),
        ("code", "system / Script", 40, [("internal", s("name"), 8)]),
        ("string", "/app/src/presence.js", 48, []),
        ("object", "system / Context", 24, [("context", s("service"), 3)]),
    ]
    closures = [("closure", "onBeat", 32, [("internal", s("shared"), 6), ("context", s("context"), 9)])
                for _ in range(listeners)]
    for i, (typ, name, size, out) in enumerate(fixed + closures):
        nodes += [T[typ], s(name), 2 * i + 1, size, len(out), 0, 0]
        for et, ni, to in out:
            edges += [E[et], ni, to * 7]
    locations = []
    for i in range(listeners):
        locations += [(10 + i) * 7, 3, 31, 36]
    return {"snapshot": {"meta": META, "node_count": len(nodes) // 7, "edge_count": len(edges) // 3,
                         "trace_function_count": 0},
            "nodes": nodes, "edges": edges, "trace_function_infos": [], "trace_tree": [],
            "samples": [], "locations": locations, "strings": STRINGS}


def text(listeners):
    return json.dumps(snapshot(listeners), separators=(",", ":")).encode()


def put(target, name, data):
    os.makedirs(os.path.join("corpus", target), exist_ok=True)
    with open(os.path.join("corpus", target, name), "wb") as f:
        f.write(data)


for n in (1, 3):
    put("snapshot", f"tiny-{n}-listeners.heapsnapshot", text(n))
    put("snapshot_gzip", f"tiny-{n}-listeners.heapsnapshot.gz", gzip.compress(text(n), mtime=0))
put("snapshot_gzip", "tiny-1-listeners.heapsnapshot", text(1))
put("analysis", "one-snapshot", text(2))
# 10 -> 20 -> 30 listeners: large enough for a closure-growth finding with the default rules.
put("analysis", "series-10-20-30", b"\0".join(text(n) for n in (10, 20, 30)))
with open("../metrics/fixtures/incident.om", "rb") as f:
    put("analysis", "series-10-30-with-metrics", b"\0".join([text(10), text(30), f.read()]))
