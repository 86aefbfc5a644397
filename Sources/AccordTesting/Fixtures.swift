public import Identity
public import Casework
public import Foundation
import SQLKit
public import Storage

/// Sample inputs shared by test targets.
public enum Fixtures {
    /// 2026-03-02T09:30:00Z, a Monday.
    public static let referenceDate = Date(timeIntervalSince1970: 1_772_443_800)

    public static func person(
        given: String = "Ahmad", family: String = "Karimi", nationality: String = "AFG", dateOfBirth: String = "1987-03-14",
        native: ScriptedNameInput? = ScriptedNameInput(script: "Arab", given: "احمد", family: "کریمی"),
        passport: String? = "P01234567"
    ) -> PersonInput {
        PersonInput(
            name: NameInput(given: given, family: family),
            nativeNames: native.map { [$0] },
            dateOfBirth: dateOfBirth,
            placeOfBirth: "Herat",
            sex: "M",
            nationality: nationality,
            identityDocuments: passport.map { [IdentityDocumentInput(kind: "passport", number: $0, issuingCountry: nationality, issuedOn: "2020-05-01", expiresOn: "2030-04-30")] }
        )
    }

    public static func caseInput(principal: Person, type: CaseType = .asylum, office: String = "HQ-ASYLUM", officer: String? = "a.martin") -> CaseInput {
        CaseInput(type: type.rawValue, office: office, assignedOfficer: officer, title: "Test case", principalPersonID: principal.id.rawValue)
    }

    /// Officers cases can be assigned to (case officer at every office the tests use) and a
    /// supervisor at those offices (four eyes). They cannot sign in.
    public static let officers = ["a.martin", "k.novak", "s.dubois"]
    public static let supervisor = "h.supervisor"
    public static let offices = ["HQ-ASYLUM", "HQ", "NORTH-1", "SOUTH-2", "AIRPORT", "APPEALS", "BORDER-EAST"]

    public static func createOfficers(in users: any UserRepository) async throws {
        let officerGrants = offices.map { RoleGrant(role: "case_officer", office: $0) }
        for name in officers + [supervisor] {
            guard let id = UserID(name), try await users.user(id) == nil else { continue }
            let grants = name == supervisor ? offices.map { RoleGrant(role: "supervisor", office: $0) } : officerGrants
            try await users.insert(UserAccount(id: id, displayName: name, grants: grants, passwordHash: "-", createdAt: referenceDate))
        }
    }

    /// The smallest valid PDF header plus some content.
    public static let pdf: [UInt8] = Array("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".utf8)
    public static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]

    /// Row counts of every table, to prove that a refused request changed nothing.
    public static func rowCounts(_ store: SQLStore) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in ["persons", "person_search_keys", "cases", "case_parties", "case_history", "case_notes", "documents", "case_number_counters", "case_tasks", "case_decisions", "case_events", "appointments", "case_note_reads"] {
            counts[table] = try await store.database.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()?.decode(column: "n", as: Int.self)
        }
        return counts
    }
}
