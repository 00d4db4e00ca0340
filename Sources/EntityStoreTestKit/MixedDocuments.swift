import EntityModel
import EntityStore

/// Documents covering every type a field can hold, including the traps of loosely typed databases:
/// `10` vs `10.0` vs `"10"`, `true` vs `1` vs `"true"`, `null` vs missing, empty string, array and object.
let mixedDocuments: [(String, String)] = [
    ("a", #"{"v":10,"s":"apple","flag":true,"tags":["x"],"o":{"k":1},"n":null,"e":""}"#),
    ("b", #"{"v":10.0,"s":"Apple","flag":false,"tags":[],"o":{},"e":[]}"#),
    ("c", #"{"v":"10","s":"banana","flag":1,"e":{}}"#),
    ("d", #"{"v":1,"s":"[\"x\"]","flag":0,"o":{"k":2}}"#),
    ("e", #"{"v":true,"s":"100% a_b?c*d","flag":"true"}"#),
    ("f", #"{"v":-2.5,"s":"Éclair","tags":["x","y"]}"#),
    ("g", #"{"s":"éclair","v":[10]}"#),
    ("h", #"{"v":0,"s":"ÉCLAIR","n":null}"#),
]

/// A fresh store holding ``mixedDocuments`` in `products`.
func mixedStore(_ makeStore: StoreFactory) async throws -> any EntityStore {
    let store = try await freshStore(makeStore)
    try await store.insert(mixedDocuments.map { entity($0.0, object($0.1)) })
    return store
}
