import EntityModel
import EntityStore

/// The merge of an oaio upload with the stored version (issue 15, oaio.md §4.1): pure, no store.
///
/// - An upload whose base is the stored stamp replaces the version.
/// - Otherwise every top-level key, and every file by path, is merged against the upload's base
///   (`server_values`, and the files of the base stamp when the server kept them; without them every
///   differing file counts as changed on both sides): what only one side changed takes that side's
///   value; what both changed differently takes the side with the newer **client stamp** (what oaio
///   apps expect), and the other side becomes a conflict.
/// - The result keeps the upload's stamp when it is exactly the upload and that stamp is the newest;
///   otherwise it gets the smallest stamp newer than both, so that every device downloads it. A result
///   equal to the stored version writes nothing.
struct OaioMerge: Equatable {
    /// A key or file both sides changed: ``key`` is the value's key, or `_files/<path>` for a file.
    struct Conflict: Equatable {
        var key: String
        var base: JSON?
        var server: JSON?
        var client: JSON?
    }

    /// The version to write; `nil` when the upload changes nothing.
    var result: OaioVersion?
    var conflicts: [Conflict] = []

    init(
        upload: OaioVersion,
        base: (stamp: OaioStamp?, values: [String: JSON], files: [String: OaioFile]?),
        stored: OaioVersion
    ) {
        var merged = upload
        if base.stamp != stored.stamp {
            let uploadWins = upload.stamp > stored.stamp
            var conflicts: [Conflict] = []
            merged.values = Self.merge(
                base: base.values.mapValues(Optional.some),
                stored: stored.values,
                uploaded: upload.values,
                uploadWins: uploadWins,
                conflictKey: { $0 },
                json: { $0 },
                conflicts: &conflicts
            )
            merged.files = Self.merge(
                base: base.files.map { $0.mapValues(Optional.some) },
                stored: stored.files,
                uploaded: upload.files,
                uploadWins: uploadWins,
                conflictKey: { OaioObject.filesKey + "/" + $0 },
                json: { FileReference.value(sha256: $0.sha256, size: $0.size) },
                conflicts: &conflicts
            )
            self.conflicts = conflicts
        }
        guard merged.values != stored.values || merged.files != stored.files else {
            result = nil
            return
        }
        let isUpload = merged.values == upload.values && merged.files == upload.files
        if !(isUpload && upload.stamp > stored.stamp) {
            merged.stamp = max(upload.stamp, stored.stamp).next
        }
        result = merged
    }

    /// Merges one map (values by key, or files by path). `base` is `nil` when the base is unknown:
    /// then whatever differs counts as changed on both sides.
    private static func merge<Value: Equatable>(
        base: [String: Value?]?,
        stored: [String: Value],
        uploaded: [String: Value],
        uploadWins: Bool,
        conflictKey: (String) -> String,
        json: (Value) -> JSON,
        conflicts: inout [Conflict]
    ) -> [String: Value] {
        var result = stored
        for key in Set(stored.keys).union(uploaded.keys).sorted() {
            let (server, client) = (stored[key], uploaded[key])
            guard server != client else { continue }
            let ancestor: Value?? = base.map { $0[key] ?? nil }
            if ancestor == .some(client) { continue }  // only the server changed it
            if ancestor == .some(server) {  // only the client changed it
                result[key] = client
                continue
            }
            result[key] = uploadWins ? client : server
            conflicts.append(
                Conflict(
                    key: conflictKey(key),
                    base: (ancestor ?? nil).map(json),
                    server: server.map(json),
                    client: client.map(json)
                )
            )
        }
        return result
    }
}
