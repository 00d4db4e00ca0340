import ArgumentParser
import EntityClient

/// `--filter`, `--order`, `--select` and `--search`: which entities a list or an export covers.
struct QueryOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "An RQL filter, e.g. 'and(eq(status,active),gt(price,10))'.")
    var filter: String?

    @Option(
        parsing: .unconditional,
        help: "Comma-separated fields to order by; a leading '-' means descending, e.g. '-created,name'."
    )
    var order: String?

    @Option(
        parsing: .unconditional,
        help: "Comma-separated fields to return (dot paths); a leading '-' leaves a field out."
    )
    var select: String?

    @Option(parsing: .unconditional, help: "Only entities whose searchable fields contain these words.")
    var search: String?

    /// The resource set these options describe over `collection`, ordered by `defaultOrder` when no
    /// `--order` is given.
    func resourceSet(of collection: CollectionReference, defaultOrder: [String] = []) -> ResourceSet {
        var set = collection.all
        if let filter, !filter.isEmpty { set = set.filter(filter) }
        let ordering = order.map { FieldList($0).paths } ?? defaultOrder
        if !ordering.isEmpty { set = set.order(by: ordering) }
        if let select { set = set.select(FieldList(select).paths.joined(separator: ",")) }
        if let search { set = set.search(search) }
        return set
    }

    /// The fields `--select` includes (not the excluded ones), in order; empty without `--select`.
    var selectedColumns: [String] {
        guard let select else { return [] }
        return FieldList(select).paths.filter { !$0.hasPrefix("-") }
    }

    /// The fields `--select` leaves out.
    var excludedColumns: Set<String> {
        guard let select else { return [] }
        return Set(FieldList(select).paths.filter { $0.hasPrefix("-") }.map { String($0.dropFirst()) })
    }
}

/// How a list or an export is written.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, jsonl, csv
}
