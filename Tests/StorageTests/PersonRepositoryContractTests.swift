import AccordCore
import AccordTesting
import Casework
import Foundation
import Storage
import Testing

/// One contract for `PersonRepository`, run against every database in `TestDatabase.all`.
@Suite struct PersonRepositoryContractTests {
    @Test(arguments: TestDatabase.all)
    func storesAndReadsBackEveryField(_ database: TestDatabase) async throws {
        try await database.withService { service, _, _ in
            let person = try await service.registerPerson(Fixtures.person(), by: .system)
            let stored = try await service.person(person.id, by: .system)
            #expect(stored == person)
            #expect(stored.details.nativeNames.first?.family == "کریمی")
            let missing = try await service.persons.person(Person.ID())
            #expect(missing == nil)
        }
    }

    @Test(arguments: TestDatabase.all)
    func searchesNamesIgnoringCaseAndAccentsInEveryScript(_ database: TestDatabase) async throws {
        try await database.withService { service, _, _ in
            let ahmad = try await service.registerPerson(Fixtures.person(), by: .system)
            let caglar = try await service.registerPerson(
                Fixtures.person(given: "Çağlar", family: "Öztürk", nationality: "TUR", native: nil, passport: "U1234567"), by: .system)
            let olena = try await service.registerPerson(
                Fixtures.person(given: "Olena", family: "Shevchenko", nationality: "UKR",
                                native: ScriptedNameInput(script: "Cyrl", given: "Олена", family: "Шевченко"), passport: "FK 765 4321"), by: .system)
            #expect(try await service.searchPersons(name: "ozturk", documentNumber: nil, by: .system).map(\.id) == [caglar.id])
            #expect(try await service.searchPersons(name: "CAGLAR ÖZTÜRK", documentNumber: nil, by: .system).map(\.id) == [caglar.id])
            #expect(try await service.searchPersons(name: "шевченко", documentNumber: nil, by: .system).map(\.id) == [olena.id])
            #expect(try await service.searchPersons(name: "کریمی", documentNumber: nil, by: .system).map(\.id) == [ahmad.id])
            #expect(try await service.searchPersons(name: "karimi olena", documentNumber: nil, by: .system).isEmpty)
            #expect(try await service.searchPersons(name: nil, documentNumber: "fk7654321", by: .system).map(\.id) == [olena.id])
            #expect(try await service.searchPersons(name: "olena", documentNumber: "P01234567", by: .system).isEmpty)
            await #expect(throws: CaseworkError(code: "casework.search_criteria_missing", reason: "", category: .invalidInput)) {
                try await service.searchPersons(name: "  ", documentNumber: nil, by: .system)
            }
            // A document number of no letters or digits is a mistake, not "any number".
            await #expect(throws: CaseworkError(code: "casework.invalid_document_number", reason: "", category: .invalidInput)) {
                try await service.searchPersons(name: "  ", documentNumber: "--", by: .system)
            }
            // A name of no letters or digits names nobody.
            #expect(try await service.searchPersons(name: "!?", documentNumber: nil, by: .system).isEmpty)
        }
    }

    @Test(arguments: TestDatabase.all)
    func updatesNeedTheCurrentVersionAndReplaceSearchKeys(_ database: TestDatabase) async throws {
        try await database.withService { service, _, store in
            let person = try await service.registerPerson(Fixtures.person(), by: .system)
            let renamed = try await service.updatePerson(person.id, Fixtures.person(given: "Ahmed", family: "Kareemi"), expectedVersion: 1, by: .system)
            #expect(renamed.version == 2)
            #expect(try await service.person(person.id, by: .system) == renamed)
            #expect(try await service.searchPersons(name: "kareemi", documentNumber: nil, by: .system).map(\.id) == [person.id])
            #expect(try await service.searchPersons(name: "karimi", documentNumber: nil, by: .system).isEmpty)
            let before = try await Fixtures.rowCounts(store)
            await #expect(throws: CaseworkError.versionConflict(expected: 1, actual: 2)) {
                try await service.updatePerson(person.id, Fixtures.person(family: "Stale"), expectedVersion: 1, by: .system)
            }
            // The repository itself refuses a stale write, even if the service's check was passed.
            var stale = renamed
            stale.details.name.family = "Stale"
            await #expect(throws: CaseworkError.versionConflict(expected: 1, actual: 2)) {
                try await service.persons.update(stale, expectedVersion: 1)
            }
            #expect(try await Fixtures.rowCounts(store) == before)
            #expect(try await service.person(person.id, by: .system).details.name.family == "Kareemi")
        }
    }
}
