import AccordCore
import Casework
import Foundation

/// View models: plain values that the Mustache templates read. Mustache escapes every `{{value}}`.
struct Option {
    let value: String
    let label: String
    let selected: Bool
}

struct Message {
    let kind: String
    let code: String
    let text: String
}

struct CaseRow {
    let number: String
    let type: String
    let status: String
    let statusCode: String
    let principal: String
    let nationality: String
    let office: String
    let officer: String
    let opened: String

    init(_ record: Case, persons: [Person.ID: Person]) {
        let principal = record.principal.flatMap { persons[$0] }
        number = record.number.text
        type = record.type.label
        status = record.status.label
        statusCode = record.status.rawValue
        self.principal = principal?.displayName ?? "—"
        nationality = principal?.details.nationality?.rawValue ?? "—"
        office = record.office.rawValue
        officer = record.assignedOfficer?.rawValue ?? "unassigned"
        opened = ConsoleFormat.date(record.openedAt)
    }
}

/// The signed-in user, for the page header's sign-out form.
struct SignedIn {
    let name: String
    let csrf: String
    var canAudit = false
    var canAdminister = false
}

struct UserRow {
    struct Action {
        let id: String
        let action: String
        let label: String
        let csrf: String
    }

    let id: String
    let name: String
    let roles: String
    let mfa: String
    let state: String
    let actions: [Action]
}

struct UsersPage {
    let nodeName: String
    let signedIn: SignedIn?
    let csrf: String
    let users: [UserRow]
    let roleNames: String
    let message: Message?
}

struct AuditRow {
    let sequence: Int
    let at: String
    let actor: String
    let role: String
    let action: String
    let resource: String
    let origin: String
    let purpose: String
    let outcome: String
}

struct AuditPage {
    let nodeName: String
    let signedIn: SignedIn?
    let summary: String
    let intact: Bool
    let entries: [AuditRow]
}

struct LoginPage {
    let nodeName: String
    let csrf: String
    let user: String
    let message: Message?
    let signedIn: SignedIn? = nil
}

struct MFAPage {
    let nodeName: String
    let signedIn: SignedIn?
    let csrf: String
    let secret: String
    let secretGroups: String
    let uri: String
    let recoveryCodes: [String]
    let message: Message?
    /// Stored, not computed: Mustache reads stored properties only.
    let hasRecoveryCodes: Bool
}

struct CaseListPage {
    let nodeName: String
    let signedIn: SignedIn?
    let total: Int
    let rows: [CaseRow]
    let types: [Option]
    let statuses: [Option]
    let offices: [Option]
    let page: Int
    let pages: Int
    let previous: String?
    let next: String?
    let findNumber: String
    let message: Message?
}

struct PersonCard {
    struct NativeName {
        let text: String
        let script: String
        let lang: String
    }

    struct IDDocument {
        let kind: String
        let number: String
        let issuer: String
        let expires: String?
    }

    let name: String
    let role: String
    let relationship: String?
    let nativeNames: [NativeName]
    let dateOfBirth: String
    let sex: String
    let nationality: String
    let placeOfBirth: String?
    let documents: [IDDocument]
    let hasDocuments: Bool

    init(_ person: Person, party: CaseParty) {
        let details = person.details
        name = person.displayName
        role = party.role.label
        relationship = party.relationship
        nativeNames = details.nativeNames.map {
            NativeName(text: [$0.given, $0.family].filter { !$0.isEmpty }.joined(separator: " "), script: $0.script, lang: "und-\($0.script)")
        }
        dateOfBirth = details.dateOfBirth?.text ?? "unknown"
        sex = switch details.sex {
        case .female: "Female"
        case .male: "Male"
        case .unspecified: "Unspecified"
        }
        nationality = ConsoleFormat.country(details.nationality)
        placeOfBirth = details.placeOfBirth
        documents = details.identityDocuments.map {
            IDDocument(kind: $0.kind.rawValue.replacingOccurrences(of: "_", with: " "), number: $0.number,
                       issuer: $0.issuingCountry.rawValue, expires: $0.expiresOn?.text)
        }
        hasDocuments = !documents.isEmpty
    }
}

struct DocumentRow {
    let id: String
    let label: String
    let kind: String
    let issuer: String
    let validUntil: String
    let size: String
    let uploaded: String
    let by: String

    init(_ document: CaseDocument) {
        id = document.id.rawValue
        label = document.fileName ?? document.title ?? document.kind.rawValue
        kind = document.kind.rawValue.replacingOccurrences(of: "_", with: " ")
        issuer = [document.issuingCountry?.rawValue, document.documentNumber].compactMap { $0 }.joined(separator: " ")
        validUntil = document.validUntil?.text ?? "—"
        size = ConsoleFormat.size(document.byteCount)
        uploaded = ConsoleFormat.dateTime(document.uploadedAt)
        by = document.uploadedBy.rawValue
    }
}

struct NoteView {
    let at: String
    let author: String
    let text: String
}

struct HistoryView {
    let sequence: Int
    let at: String
    let actor: String
    let summary: String
}

struct CaseDetailPage {
    let nodeName: String
    let signedIn: SignedIn?
    let number: String
    let title: String?
    let type: String
    let status: String
    let statusCode: String
    let office: String
    let officer: String
    let opened: String
    let updated: String
    let version: Int
    let persons: [PersonCard]
    let documents: [DocumentRow]
    let notes: [NoteView]
    let history: [HistoryView]
}

struct PersonRow {
    let id: String
    let name: String
    let native: String
    let dateOfBirth: String
    let nationality: String
    let documents: String

    init(_ person: Person) {
        id = person.id.rawValue
        name = person.displayName
        native = person.details.nativeNames.map { "\($0.given) \($0.family)" }.joined(separator: " · ")
        dateOfBirth = person.details.dateOfBirth?.text ?? "unknown"
        nationality = person.details.nationality?.rawValue ?? "—"
        documents = person.details.identityDocuments.map { "\($0.issuingCountry.rawValue) \($0.number)" }.joined(separator: ", ")
    }
}

struct PersonSearchPage {
    let nodeName: String
    let signedIn: SignedIn?
    let name: String
    let documentNumber: String
    let searched: Bool
    let rows: [PersonRow]
    let message: Message?
}

struct ErrorPage {
    let nodeName: String
    let signedIn: SignedIn? = nil
    let status: Int
    let heading: String
    let code: String
    let message: String
}
