/// Message bodies. Every scalar is a string in a stated format (dates `YYYY-MM-DD`, times
/// ISO 8601 UTC, countries ISO 3166-1 alpha-3, enumerations as listed), so that the XML and JSON
/// encodings carry exactly the same data model (see Docs/Protocol.md, "Data model").
public enum MessageBodies {}

public struct PersonRecord: Sendable, Equatable, Codable {
    public static let protectionStatuses = ["none", "asylum_applicant", "refugee", "subsidiary_protection"]

    /// Whether the person is under, or has asked for, international protection.
    public var isProtected: Bool { protectionStatus.map { $0 != "none" } ?? false }

    public struct Name: Sendable, Equatable, Codable {
        public var given: String?
        public var family: String
        /// ISO 15924 script code; `Latn` for the transliteration.
        public var script: String

        public init(given: String?, family: String, script: String = "Latn") {
            self.given = given
            self.family = family
            self.script = script
        }
    }

    public struct IdentityDocument: Sendable, Equatable, Codable {
        public var kind: String
        public var number: String
        public var issuingCountry: String
        public var expiresOn: String?

        public init(kind: String, number: String, issuingCountry: String, expiresOn: String? = nil) {
            self.kind = kind
            self.number = number
            self.issuingCountry = issuingCountry
            self.expiresOn = expiresOn
        }
    }

    public var names: [Name]
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    public var dateOfBirth: String?
    public var placeOfBirth: String?
    /// ISO 3166-1 alpha-3 code of the country of birth, where known.
    public var countryOfBirth: String?
    /// `F`, `M` or `X`.
    public var sex: String
    public var nationality: String?
    /// International protection: none, asylum_applicant, refugee or subsidiary_protection. The
    /// gateway never sends a protected person's data to a country the message ties them to
    /// (`linkedCountries`).
    public var protectionStatus: String?
    public var documents: [IdentityDocument]?

    public init(names: [Name], dateOfBirth: String? = nil, placeOfBirth: String? = nil, countryOfBirth: String? = nil, sex: String, nationality: String? = nil,
                protectionStatus: String? = nil, documents: [IdentityDocument]? = nil) {
        self.names = names
        self.dateOfBirth = dateOfBirth
        self.placeOfBirth = placeOfBirth
        self.countryOfBirth = countryOfBirth
        self.sex = sex
        self.nationality = nationality
        self.protectionStatus = protectionStatus
        self.documents = documents
    }
}

extension PersonRecord {
    /// ICAO codes that name no state (unspecified, stateless, refugee document issuers).
    static let noState: Set<String> = ["XXA", "XXB", "XXC", "XXX", "XOM", "XPO", "XXE", "XXF"]

    /// Every state the record ties the person to: nationality, country of birth and the
    /// issuers of their identity documents (upper-cased; codes that name no state left out).
    public var linkedCountries: Set<String> {
        let codes = [nationality, countryOfBirth].compactMap { $0 } + (documents ?? []).map(\.issuingCountry)
        return Set(codes.map { $0.uppercased() }.filter { !Self.noState.contains($0) })
    }
}

public struct Evidence: Sendable, Equatable, Codable {
    /// `proof` or `prima_facie`, as the agreement's annexes classify it.
    public var strength: String
    /// E.g. `passport`, `expired_passport`, `witness_statement`.
    public var kind: String
    public var description: String?
    /// SHA-256 (hex) of an attached document exchanged separately.
    public var documentDigest: String?

    public init(strength: String, kind: String, description: String? = nil, documentDigest: String? = nil) {
        self.strength = strength
        self.kind = kind
        self.description = description
        self.documentDigest = documentDigest
    }
}

public struct ReadmissionApplication: Sendable, Equatable, Codable {
    public var agreement: String
    /// `normal` or `accelerated`.
    public var procedure: String
    public var person: PersonRecord
    public var evidence: [Evidence]?
    /// References (not data) of biometric records held by the requesting state.
    public var biometricReferences: [String]?
    public var apprehension: Apprehension?
    public var specialNeeds: String?
    /// `required` or `not_required`.
    public var escort: String

    public struct Apprehension: Sendable, Equatable, Codable {
        public var date: String
        public var place: String
        public var circumstances: String?

        public init(date: String, place: String, circumstances: String? = nil) {
            self.date = date
            self.place = place
            self.circumstances = circumstances
        }
    }

    public init(agreement: String, procedure: String, person: PersonRecord, evidence: [Evidence]? = nil, biometricReferences: [String]? = nil,
                apprehension: Apprehension? = nil, specialNeeds: String? = nil, escort: String) {
        self.agreement = agreement
        self.procedure = procedure
        self.person = person
        self.evidence = evidence
        self.biometricReferences = biometricReferences
        self.apprehension = apprehension
        self.specialNeeds = specialNeeds
        self.escort = escort
    }
}

public struct ReadmissionRevision: Sendable, Equatable, Codable {
    public var revises: String
    public var reason: String
    public var application: ReadmissionApplication

    public init(revises: String, reason: String, application: ReadmissionApplication) {
        self.revises = revises
        self.reason = reason
        self.application = application
    }
}

public struct InformationRequest: Sendable, Equatable, Codable {
    public var questions: [String]
    /// `YYYY-MM-DD`.
    public var replyBy: String?

    public init(questions: [String], replyBy: String? = nil) {
        self.questions = questions
        self.replyBy = replyBy
    }
}

public struct InformationResponse: Sendable, Equatable, Codable {
    public var answers: [String]
    public var evidence: [Evidence]?

    public init(answers: [String], evidence: [Evidence]? = nil) {
        self.answers = answers
        self.evidence = evidence
    }
}

public struct Decision: Sendable, Equatable, Codable {
    /// `accept` or `reject`.
    public var outcome: String
    public var reasons: [String]?
    /// ISO 8601 UTC.
    public var decidedAt: String
    public var decidedBy: String
    public var approvedBy: String?

    public init(outcome: String, reasons: [String]? = nil, decidedAt: String, decidedBy: String, approvedBy: String? = nil) {
        self.outcome = outcome
        self.reasons = reasons
        self.decidedAt = decidedAt
        self.decidedBy = decidedBy
        self.approvedBy = approvedBy
    }
}

public struct InterviewProposal: Sendable, Equatable, Codable {
    /// `video`, `consular` or `in_person`.
    public var mode: String
    /// ISO 8601 UTC start times, in order of preference.
    public var slots: [String]
    public var location: String?

    public init(mode: String, slots: [String], location: String? = nil) {
        self.mode = mode
        self.slots = slots
        self.location = location
    }
}

public struct InterviewConfirmation: Sendable, Equatable, Codable {
    public var mode: String
    public var slot: String

    public init(mode: String, slot: String) {
        self.mode = mode
        self.slot = slot
    }
}

public struct InterviewOutcome: Sendable, Equatable, Codable {
    /// `identity_confirmed`, `identity_not_confirmed` or `inconclusive`.
    public var outcome: String
    public var summary: String?
    /// SHA-256 (hex) of the interview record kept by the interviewing state.
    public var recordDigest: String?

    public init(outcome: String, summary: String? = nil, recordDigest: String? = nil) {
        self.outcome = outcome
        self.summary = summary
        self.recordDigest = recordDigest
    }
}

public struct TravelDocumentIssued: Sendable, Equatable, Codable {
    /// `emergency_travel_document`, `laissez_passer` or `passport`.
    public var kind: String
    public var number: String
    public var issuedOn: String
    public var validUntil: String
    public var issuingAuthority: String

    public init(kind: String, number: String, issuedOn: String, validUntil: String, issuingAuthority: String) {
        self.kind = kind
        self.number = number
        self.issuedOn = issuedOn
        self.validUntil = validUntil
        self.issuingAuthority = issuingAuthority
    }
}

public struct TransferNotice: Sendable, Equatable, Codable {
    public struct Escort: Sendable, Equatable, Codable {
        public var name: String
        public var role: String

        public init(name: String, role: String) {
            self.name = name
            self.role = role
        }
    }

    public var flight: String
    /// ISO 8601 UTC departure.
    public var departure: String
    public var pointOfEntry: String
    public var escorts: [Escort]?

    public init(flight: String, departure: String, pointOfEntry: String, escorts: [Escort]? = nil) {
        self.flight = flight
        self.departure = departure
        self.pointOfEntry = pointOfEntry
        self.escorts = escorts
    }
}

public struct Withdrawal: Sendable, Equatable, Codable {
    public var reason: String

    public init(reason: String) {
        self.reason = reason
    }
}

public struct CaseUpdate: Sendable, Equatable, Codable {
    public var caseNumber: String
    public var status: String
    public var summary: String?

    public init(caseNumber: String, status: String, summary: String? = nil) {
        self.caseNumber = caseNumber
        self.status = status
        self.summary = summary
    }
}

/// Proof of receipt: which message, the SHA-256 of the exact bytes received, and when.
public struct ReceiptBody: Sendable, Equatable, Codable {
    public var receivedMessageID: String
    /// SHA-256 (hex) of the exact bytes received.
    public var receivedDigest: String
    /// ISO 8601 UTC.
    public var receivedAt: String

    public init(receivedMessageID: String, receivedDigest: String, receivedAt: String) {
        self.receivedMessageID = receivedMessageID
        self.receivedDigest = receivedDigest
        self.receivedAt = receivedAt
    }
}

/// A refusal of a message, with the stable code of the reason.
public struct ErrorBody: Sendable, Equatable, Codable {
    public var code: String
    public var message: String
    public var refusedMessageID: String?
    /// SHA-256 (hex) of the refused bytes.
    public var refusedDigest: String?

    public init(code: String, message: String, refusedMessageID: String? = nil, refusedDigest: String? = nil) {
        self.code = code
        self.message = message
        self.refusedMessageID = refusedMessageID
        self.refusedDigest = refusedDigest
    }
}
