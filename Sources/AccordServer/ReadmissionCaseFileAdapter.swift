import AccordCore
import Casework
import Exchange
import Foundation
import Identity
import Readmission

/// The readmission desk's view of the national case file: a conversation opens a case of type
/// readmission on the readmission workflow, its person is a Casework person (registered from the
/// application, or the one the officer composed from), its messages drive the workflow, and
/// reads of it go into the audit trail.
struct ReadmissionCaseFileAdapter: ReadmissionCaseFile {
    let service: CaseworkService
    let office: String

    /// The desk acts for an officer (their user name) or for a partner (its participant ID).
    func caller(_ actor: String, purpose: String? = nil) -> Caller {
        Caller(user: UserID(actor) ?? .system, role: "readmission", origin: "exchange", purpose: purpose)
    }

    func open(_ conversation: ReadmissionCaseID, record: PersonRecord, person: String?, title: String, by actor: String) async throws -> CaseFileLink {
        let caller = caller(actor)
        let personID: Person.ID
        if let person {
            guard let id = Person.ID(person) else { throw CaseworkError.personNotFound(person) }
            personID = try await service.person(id, by: caller).id
        } else {
            personID = try await register(record, by: caller).id
        }
        let opened = try await service.openCase(CaseInput(type: CaseType.readmission.rawValue, office: office, title: String(title.prefix(200)),
                                                          principalPersonID: personID.rawValue), by: caller)
        return CaseFileLink(caseID: opened.id.rawValue, caseNumber: opened.number.text, personID: personID.rawValue)
    }

    /// Registers the person an application names. What the partner sent passed the message
    /// schema; particulars the case file would refuse (a document number it cannot read) are
    /// left out rather than losing the application, and stay in the sealed message.
    func register(_ record: PersonRecord, by caller: Caller) async throws -> Person {
        var input = Self.input(record)
        do {
            return try await service.registerPerson(input, by: caller)
        } catch let error as CaseworkError where error.category == .invalidInput || error.category == .unprocessable {
            let refused = Set(error.diagnostics.compactMap { $0.path.flatMap(Self.documentIndex) })
            guard !refused.isEmpty else { throw error }
            input.identityDocuments = input.identityDocuments?.enumerated().filter { !refused.contains($0.offset) }.map(\.element)
            return try await service.registerPerson(input, by: caller)
        }
    }

    static func documentIndex(_ path: String) -> Int? {
        guard path.hasPrefix("identityDocuments["), let end = path.firstIndex(of: "]") else { return nil }
        return Int(path[path.index(path.startIndex, offsetBy: 18)..<end])
    }

    static func input(_ record: PersonRecord) -> PersonInput {
        let latin = record.names.first { $0.script == "Latn" } ?? record.names.first
        let natives = record.names.filter { $0.script != "Latn" }
        return PersonInput(
            name: latin.map { NameInput(given: $0.given, family: $0.family) },
            nativeNames: natives.isEmpty ? nil : natives.map { ScriptedNameInput(script: $0.script, given: $0.given, family: $0.family) },
            dateOfBirth: record.dateOfBirth, placeOfBirth: record.placeOfBirth, sex: record.sex, nationality: record.nationality,
            identityDocuments: record.documents.map { documents in
                documents.map { document in
                    IdentityDocumentInput(kind: IdentityDocument.Kind(rawValue: document.kind) == nil ? IdentityDocument.Kind.other.rawValue : document.kind,
                                          number: document.number, issuingCountry: document.issuingCountry, expiresOn: document.expiresOn)
                }
            }
        )
    }

    func record(_ event: String, on link: CaseFileLink, fields: [String: String], by actor: String) async throws {
        guard let id = Case.ID(link.caseID) else { throw CaseworkError.caseNotFound(link.caseID) }
        try await service.handleEvent(event, on: id, fields: fields, by: caller(actor))
    }

    func recordRead(_ links: [CaseFileLink], list: Bool, by actor: String, purpose: String?) async throws {
        let caller = caller(actor, purpose: purpose)
        if list {
            try await service.audit.record(AuditEvent(actor: caller.user.rawValue, role: caller.role, action: .search, resourceType: "case", resourceRef: "readmission-list",
                                                      origin: caller.origin, purpose: purpose))
            return
        }
        for link in links {
            try await service.audit.record(AuditEvent(actor: caller.user.rawValue, role: caller.role, action: .read, resourceType: "case", resourceRef: link.caseID,
                                                      origin: caller.origin, purpose: purpose))
            try await service.audit.record(AuditEvent(actor: caller.user.rawValue, role: caller.role, action: .read, resourceType: "person", resourceRef: link.personID,
                                                      origin: caller.origin, purpose: purpose))
        }
    }
}
