import EntityModel
import EntityQuery
import EntityService
import HTTPTypes

extension ODataExchange {
    /// `POST $batch`: runs the requests in order. A changeset (atomicity group) is one EntityService
    /// transaction across collections: all of its writes are applied, or none and one error answers
    /// for it. `$n` names the entity request `n` created; a request whose `dependsOn` failed gets
    /// 424. Without `Prefer: odata.continue-on-error` the batch stops at the first failure.
    func batch(_ request: ODataRequest) async throws -> ODataResponse {
        guard let contentType = request.header(.contentType) else {
            throw ODataError(.unsupportedMediaType, "a $batch needs Content-Type multipart/mixed or application/json")
        }
        let batch = try ODataBatchRequest(
            body: request.body,
            contentType: contentType,
            serviceRoot: serviceRoot,
            maximumJSONDepth: limits.maximumJSONDepth
        )
        let limit = service.configuration.maximumBatchSize
        guard batch.itemCount <= limit else {
            throw ODataError(
                .contentTooLarge,
                "a $batch holds at most \(limit) requests (--max-batch-size), this one \(batch.itemCount)"
            )
        }
        let preferences = ODataPreferences(request.headers[values: .prefer])
        var answer = ODataBatchAnswer()
        var failed: Set<String> = []
        var created: [String: String] = [:]
        for group in batch.groups {
            if group.isAtomic {
                let (part, succeeded) = await runAtomic(group, failed: failed, created: &created)
                answer.parts.append(part)
                if !succeeded {
                    failed.formUnion(group.items.compactMap(\.id))
                    if let name = group.atomicityGroup { failed.insert(name) }
                    if !preferences.continueOnError { break }
                }
            } else if let item = group.items.first {
                let response = await runSingle(item, failed: failed, created: &created)
                answer.parts.append(.single(.init(id: item.id, atomicityGroup: nil, response: response)))
                if response.status.code >= 400 {
                    if let id = item.id { failed.insert(id) }
                    if !preferences.continueOnError { break }
                }
            }
        }
        var response = answer.response(as: answerFormat(request, batch: batch.format), version: version)
        if preferences.continueOnError { response.headers[.preferenceApplied] = "odata.continue-on-error" }
        return response
    }

    /// A JSON batch is answered as multipart when `Accept` asks for `multipart/mixed`; a multipart
    /// batch always as multipart (clients such as Tcl code send `Accept: application/json` on every
    /// request and still parse the multipart answer).
    private func answerFormat(_ request: ODataRequest, batch: ODataBatchRequest.Format) -> ODataBatchRequest.Format {
        let accept = request.header(.accept)?.lowercased() ?? ""
        return accept.contains("multipart/mixed") ? .multipart : batch
    }

    private func runSingle(_ item: ODataBatchRequest.Item, failed: Set<String>, created: inout [String: String]) async
        -> ODataResponse
    {
        if let dependency = item.dependsOn.first(where: failed.contains) {
            return .error(
                ODataError(.failedDependency, "request '\(dependency)' it depends on failed"),
                version: version
            )
        }
        let response = await run(item, in: nil, created: created)
        noteCreated(item, response, into: &created)
        return response
    }

    private func runAtomic(_ group: ODataBatchRequest.Group, failed: Set<String>, created: inout [String: String])
        async -> (ODataBatchAnswer.Part, Bool)
    {
        let changeset = ODataChangeset(service.changeset(as: caller))
        var entries: [ODataBatchAnswer.Entry] = []
        var staged = created
        for item in group.items {
            if let dependency = item.dependsOn.first(where: failed.contains) {
                let error = ODataError(.failedDependency, "request '\(dependency)' it depends on failed")
                return (failure(group, item, .error(error, version: version)), false)
            }
            let response = await run(item, in: changeset, created: staged)
            if response.status.code >= 400 { return (failure(group, item, response), false) }
            noteCreated(item, response, into: &staged)
            entries.append(.init(id: item.id, atomicityGroup: group.atomicityGroup, response: response))
        }
        do {
            try await changeset.commit()
        } catch {
            let response = ODataResponse.failure(error, version: version)
            return (failure(group, group.items.last!, response), false)
        }
        created = staged
        return (.changeset(entries), true)
    }

    /// One error answering for a whole failed changeset.
    private func failure(_ group: ODataBatchRequest.Group, _ item: ODataBatchRequest.Item, _ response: ODataResponse)
        -> ODataBatchAnswer.Part
    {
        .single(.init(id: item.id, atomicityGroup: group.atomicityGroup, response: response))
    }

    private func run(_ item: ODataBatchRequest.Item, in changeset: ODataChangeset?, created: [String: String]) async
        -> ODataResponse
    {
        var request = item.request
        if request.path.hasPrefix("$") {
            let reference = request.path.dropFirst().prefix { $0 != "/" }
            guard let path = created[String(reference)] else {
                let error = ODataError(.badRequest, "$\(reference) names no entity created earlier in the batch")
                return .error(error, version: version)
            }
            request.path = path + request.path.dropFirst(reference.count + 1)
        }
        var exchange = self
        exchange.changeset = changeset
        exchange.batchReferences = created
        do {
            return try await exchange.respond(to: request)
        } catch {
            return .failure(error, version: version)
        }
    }

    /// Remembers where request `id` created an entity (its `Location`), for `$id` references.
    private func noteCreated(
        _ item: ODataBatchRequest.Item,
        _ response: ODataResponse,
        into created: inout [String: String]
    ) {
        guard let id = item.id, let location = response.headers[.location] ?? response.headers[.odataEntityID],
            location.hasPrefix(serviceRoot)
        else { return }
        created[id] = String(location.dropFirst(serviceRoot.count))
    }
}

extension ODataResponse {
    /// The answer for any error thrown while answering a request: the OData error body, never a trace.
    static func failure(_ error: any Error, version: ODataVersion) -> ODataResponse {
        switch error {
        case let error as ODataError: return .error(error, version: version)
        case let error as EntityError: return .error(ODataError(error), version: version)
        case let error as ODataQueryError: return .error(ODataError(error), version: version)
        default: return .error(ODataError(.internalServerError, "internal error"), version: version)
        }
    }
}
