import AccordCore
import AccordTesting
import Casework
import Foundation
import SQLKit
import Storage
import Testing

/// One contract for `CaseRepository` (with history and notes), run against every database.
@Suite struct CaseRepositoryContractTests {
    @Test(arguments: TestDatabase.all)
    func numbersAreSequentialPerTypeAndYearWithValidCheckDigits(_ database: TestDatabase) async throws {
        try await database.withService { service, clock, _ in
            let person = try await service.registerPerson(Fixtures.person(), by: .system)
            var numbers: [String] = []
            for type in [CaseType.asylum, .asylum, .visa, .asylum] {
                numbers.append(try await service.openCase(Fixtures.caseInput(principal: person, type: type), by: .system).number.text)
            }
            #expect(numbers.map { String($0.prefix(15)) } == ["ASY-2026-000001", "ASY-2026-000002", "VIS-2026-000001", "ASY-2026-000003"])
            for number in numbers { #expect(throws: Never.self) { try CaseNumber(parsing: number) } }
            clock.set(Date(timeIntervalSince1970: 1_800_000_000)) // 2027
            let next = try await service.openCase(Fixtures.caseInput(principal: person), by: .system)
            #expect(next.number.text.hasPrefix("ASY-2027-000001-"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func concurrentOpeningsGetUniqueGapFreeNumbers(_ database: TestDatabase) async throws {
        try await database.withService { service, _, _ in
            let person = try await service.registerPerson(Fixtures.person(), by: .system)
            let opened = try await withThrowingTaskGroup(of: Case.self) { group in
                for _ in 0..<24 {
                    group.addTask { try await service.openCase(Fixtures.caseInput(principal: person), by: .system) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(opened.map(\.number.sequence).sorted() == Array(1...24))
            #expect(try await service.listCases(CaseFilter(limit: 100), by: .system).total == 24)
        }
    }

    @Test(arguments: TestDatabase.all)
    func historyIsGapFreeAcrossUpdatesNotesAndDocuments(_ database: TestDatabase) async throws {
        try await database.withService { service, clock, _ in
            let person = try await service.registerPerson(Fixtures.person(), by: .system)
            let spouse = try await service.registerPerson(Fixtures.person(given: "Zahra", passport: nil), by: .system)
            let officer = UserID("k.novak")!
            var record = try await service.openCase(Fixtures.caseInput(principal: person), by: .user(UserID("registry")!))
            clock.advance(by: 60)
            record = try await service.updateCase(record.number, CaseUpdateInput(expectedVersion: 1, assignedOfficer: "k.novak"), by: .user(officer))
            #expect(record.version == 2 && record.state == "registered" && record.assignedOfficer == officer)
            _ = try await service.attachDocument(record.number, metadata: DocumentMetadataInput(kind: "application"), mediaType: "application/pdf", bytes: Fixtures.pdf, by: .user(officer))
            record = try await service.takeTransition(record.number, TransitionInput(transition: "lodge", expectedVersion: 2, fields: ["claimType": "first_application"]), by: .user(officer))
            #expect(record.version == 3 && record.state == "examination" && record.fields["claimType"] == "first_application")
            clock.advance(by: 60)
            _ = try await service.addNote(record.number, NoteInput(text: "Interview scheduled."), by: .user(officer))
            _ = try await service.attachDocument(record.number, metadata: DocumentMetadataInput(kind: "evidence"), mediaType: "application/pdf", bytes: Fixtures.pdf, by: .user(officer))
            record = try await service.linkPerson(record.number, PartyInput(personID: spouse.id.rawValue, role: "family_member", relationship: "spouse"), by: .user(officer))
            #expect(record.version == 4)
            #expect(record.parties.map(\.role) == [.principal, .familyMember])
            let history = try await service.history(record.number, by: .system)
            #expect(history.map(\.sequence) == Array(1...history.count))
            #expect(history.map(\.action) == [.caseOpened, .assignmentChanged, .documentAttached, .statusChanged, .fieldsChanged, .taskCreated, .taskCreated, .triaged,
                                                .noteAdded, .documentAttached, .personLinked])
            #expect(history.first?.actor == UserID("registry"))
            #expect(history[1].at == Fixtures.referenceDate.addingTimeInterval(60))
            #expect(try await service.notes(record.number, by: .system).map(\.text) == ["Interview scheduled."])
            #expect(try await service.caseRecord(record.number, by: .system) == record)
        }
    }

    @Test(arguments: TestDatabase.all)
    func invalidMovesAndStaleVersionsChangeNothing(_ database: TestDatabase) async throws {
        try await database.withService { service, _, store in
            let person = try await service.registerPerson(Fixtures.person(), by: .system)
            let record = try await service.openCase(Fixtures.caseInput(principal: person), by: .system)
            let before = try await Fixtures.rowCounts(store)
            #expect(await errorCode { try await service.takeTransition(record.number, TransitionInput(transition: "record_interview", expectedVersion: 1), by: .system) }
                    == "workflow.transition_not_allowed")
            #expect(await errorCode { try await service.takeTransition(record.number, TransitionInput(transition: "lodge", expectedVersion: 1), by: .system) }
                    == "workflow.guard_unmet")
            await #expect(throws: CaseworkError.versionConflict(expected: 7, actual: 1)) {
                try await service.updateCase(record.number, CaseUpdateInput(expectedVersion: 7, title: "x"), by: .system)
            }
            var stale = record
            stale.title = "Changed"
            _ = try await service.cases.update(stale, expectedVersion: 1, history: [])
            await #expect(throws: CaseworkError.versionConflict(expected: 1, actual: 2)) {
                try await service.cases.update(stale, expectedVersion: 1, history: [])
            }
            #expect(try await Fixtures.rowCounts(store) == before)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aFailedOpeningLeavesNoTrace(_ database: TestDatabase) async throws {
        try await database.withService { service, _, store in
            let person = try await service.registerPerson(Fixtures.person(), by: .system)
            let before = try await Fixtures.rowCounts(store)
            // A party that does not exist violates a foreign key after the case row, its number
            // and its history entry were written: the whole transaction must roll back.
            let draft = CaseDraft(
                id: Case.ID(), type: .asylum, year: 2026, state: "registered", workflowVersion: 1, office: OfficeCode("HQ")!, assignedOfficer: nil, title: nil,
                parties: [CaseParty(personID: person.id, role: .principal), CaseParty(personID: Person.ID(), role: .familyMember)],
                openedAt: Fixtures.referenceDate
            )
            let history = HistoryRecord(id: .init(), at: Fixtures.referenceDate, actor: .system, action: .caseOpened, summary: "x")
            let refusal = await databaseRefusal { try await service.cases.open(draft, history: history) }
            #expect(refusal.map { $0.contains("FOREIGN KEY constraint failed") || $0.contains("violates foreign key constraint") } == true, "\(refusal ?? "nothing thrown")")
            #expect(try await Fixtures.rowCounts(store) == before)
            let next = try await service.openCase(Fixtures.caseInput(principal: person), by: .system)
            #expect(next.number.sequence == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func historyAndNotesAreAppendOnlyInTheDatabaseItself(_ database: TestDatabase) async throws {
        try await database.withService { service, _, store in
            let person = try await service.registerPerson(Fixtures.person(), by: .system)
            let record = try await service.openCase(Fixtures.caseInput(principal: person), by: .system)
            _ = try await service.addNote(record.number, NoteInput(text: "original"), by: .system)
            #expect(await databaseRefusal { try await store.database.raw("UPDATE case_history SET summary = 'forged'").run() }?.contains("case_history is append-only") == true)
            #expect(await databaseRefusal { try await store.database.raw("DELETE FROM case_history").run() }?.contains("case_history is append-only") == true)
            #expect(await databaseRefusal { try await store.database.raw("UPDATE case_notes SET text = 'forged'").run() }?.contains("case_notes is append-only") == true)
            #expect(await databaseRefusal { try await store.database.raw("DELETE FROM case_notes").run() }?.contains("case_notes is append-only") == true)
            #expect(try await service.notes(record.number, by: .system).map(\.text) == ["original"])
            #expect(try await service.history(record.number, by: .system).count == 2)
        }
    }

    @Test(arguments: TestDatabase.all)
    func listsFilterPageAndCount(_ database: TestDatabase) async throws {
        try await database.withService { service, clock, _ in
            let person = try await service.registerPerson(Fixtures.person(), by: .system)
            let other = try await service.registerPerson(Fixtures.person(given: "Lina", family: "Haddad", nationality: "SYR", native: nil, passport: nil), by: .system)
            for index in 0..<7 {
                clock.advance(by: 60)
                let type: CaseType = index.isMultiple(of: 2) ? .asylum : .visa
                let opened = try await service.openCase(
                    Fixtures.caseInput(principal: index == 6 ? other : person, type: type, office: index < 3 ? "NORTH-1" : "SOUTH-2"), by: .system)
                if index == 1 {
                    _ = try await service.takeTransition(opened.number, TransitionInput(transition: "withdraw", expectedVersion: 1, reason: "Left the country"), by: .user(UserID("a.martin")!))
                }
            }
            let all = try await service.listCases(CaseFilter(limit: 3), by: .system)
            #expect(all.total == 7 && all.cases.count == 3)
            #expect(all.cases.map(\.openedAt) == all.cases.map(\.openedAt).sorted(by: >))
            let rest = try await service.listCases(CaseFilter(limit: 3, offset: 6), by: .system)
            #expect(rest.cases.count == 1)
            #expect(try await service.listCases(CaseFilter(type: .asylum), by: .system).total == 4)
            #expect(try await service.listCases(CaseFilter(state: "lodged"), by: .system).total == 2)
            #expect(try await service.listCases(CaseFilter(open: false), by: .system).total == 1)
            #expect(try await service.listCases(CaseFilter(open: true), by: .system).total == 6)
            #expect(try await service.listCases(CaseFilter(type: .asylum, office: OfficeCode("NORTH-1")), by: .system).total == 2)
            #expect(try await service.listCases(CaseFilter(personID: other.id), by: .system).total == 1)
            #expect(try await service.offices() == [OfficeCode("NORTH-1")!, OfficeCode("SOUTH-2")!])
        }
    }

    @Test(arguments: TestDatabase.all)
    func openingNeedsExistingDistinctPersons(_ database: TestDatabase) async throws {
        try await database.withService { service, _, store in
            let person = try await service.registerPerson(Fixtures.person(), by: .system)
            let before = try await Fixtures.rowCounts(store)
            let ghost = Person.ID()
            var input = Fixtures.caseInput(principal: person)
            input.parties = [PartyInput(personID: ghost.rawValue, role: "family_member")]
            await #expect(throws: CaseworkError(code: "casework.unknown_person", reason: "", category: .notFound)) {
                try await service.openCase(input, by: .system)
            }
            input.parties = [PartyInput(personID: person.id.rawValue, role: "principal")]
            await #expect(throws: CaseworkError(code: "casework.invalid_role", reason: "", category: .invalidInput)) {
                try await service.openCase(input, by: .system)
            }
            #expect(try await Fixtures.rowCounts(store) == before)
        }
    }
}
