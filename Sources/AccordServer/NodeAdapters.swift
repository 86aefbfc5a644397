public import AdapterKit
import BorderAdapter
import CivilRegistryAdapter
import Exchange
public import Foundation
import Identity
import NationalIDAdapter
import PoliceAdapter
public import Readmission
public import Casework
import Storage

/// The national systems a node reaches, built from its manifests (`adapters.directory`): at
/// most one adapter per kind. An installation with no manifests reaches nothing, and every
/// check it would make is shown as "not verified".
public struct NodeAdapters: Sendable {
    public let manifests: [AdapterManifest]
    public let nationalID: NationalIDAdapter?
    public let civilRegistry: CivilRegistryAdapter?
    public let border: BorderAdapter?
    public let police: PoliceAdapter?

    public static let none = NodeAdapters(manifests: [], nationalID: nil, civilRegistry: nil, border: nil, police: nil)

    init(manifests: [AdapterManifest], nationalID: NationalIDAdapter?, civilRegistry: CivilRegistryAdapter?, border: BorderAdapter?, police: PoliceAdapter?) {
        self.manifests = manifests
        self.nationalID = nationalID
        self.civilRegistry = civilRegistry
        self.border = border
        self.police = police
    }

    /// The adapters of `manifests`, each call audited to `audit` and measured into `metrics`.
    public init(manifests: [AdapterManifest], audit: any AdapterAuditSink, metrics: AdapterMetrics = AdapterMetrics()) throws {
        var seen: [AdapterKind: String] = [:]
        for manifest in manifests {
            if let other = seen[manifest.kind] {
                throw ServerError(code: "adapters.duplicate_kind", reason: "two \(manifest.kind.rawValue) manifests (\(other) and \(manifest.system)); a node reaches one system of each kind")
            }
            seen[manifest.kind] = manifest.system
        }
        func client(_ kind: AdapterKind) -> AdapterClient? {
            manifests.first { $0.kind == kind }.map { AdapterClient(manifest: $0, audit: audit, metrics: metrics) }
        }
        self.manifests = manifests
        self.nationalID = try client(.nationalID).map(NationalIDAdapter.init(client:))
        self.civilRegistry = try client(.civilRegistry).map(CivilRegistryAdapter.init(client:))
        self.border = try client(.border).map(BorderAdapter.init(client:))
        self.police = try client(.police).map(PoliceAdapter.init(client:))
    }

    /// The manifests of `directory`; any error stops the node with every problem as `file:line`.
    public static func load(_ directory: URL?, audit: any AdapterAuditSink, metrics: AdapterMetrics = AdapterMetrics()) throws -> NodeAdapters {
        guard let directory else { return .none }
        let (manifests, problems) = AdapterManifestFile.loadDirectory(directory)
        let errors = problems.filter { $0.diagnostic.severity == .error }
        guard errors.isEmpty else { throw ServerError(code: "adapters.invalid_manifest", reason: errors.map(\.description).joined(separator: "\n")) }
        return try NodeAdapters(manifests: manifests, audit: audit, metrics: metrics)
    }

    /// What readmission identity verification asks: the national ID register and the civil registry.
    public var identityRegistries: [any IdentityRegistry] {
        var registries: [any IdentityRegistry] = []
        if let nationalID { registries.append(NationalIDRegistry(adapter: nationalID)) }
        if let civilRegistry { registries.append(CivilRegistryRecords(adapter: civilRegistry)) }
        return registries
    }
}

/// Adapter calls into the node's audit trail: who, which case and person, why, which fields, what came of it.
public struct AuditTrailAdapterSink: AdapterAuditSink {
    let trail: any AuditTrail

    public init(trail: any AuditTrail) {
        self.trail = trail
    }

    public func record(_ call: AdapterCallRecord) async {
        try? await trail.record(AuditEvent(
            actor: call.context.actor, role: call.context.role, action: .search, resourceType: "adapter_call", resourceRef: call.summary,
            origin: "adapter:\(call.system)", purpose: call.context.purpose, outcome: call.outcome == "answered" ? .allowed : .failed
        ))
    }
}

extension AdapterSubject {
    /// What an application says about the person, in the adapters' terms.
    init(_ person: PersonRecord) {
        let latin = person.names.first { $0.script == "Latn" } ?? person.names.first
        let native = person.names.first { $0.script != "Latn" }
        self.init(
            givenNames: latin?.given, familyName: latin?.family, nativeName: native.map { [$0.given, $0.family].compactMap { $0 }.joined(separator: " ") },
            dateOfBirth: person.dateOfBirth, placeOfBirth: person.placeOfBirth, sex: person.sex, nationality: person.nationality,
            documents: (person.documents ?? []).map { .init(kind: $0.kind, number: $0.number, issuingCountry: $0.issuingCountry) }
        )
    }
}

extension IdentityMatch {
    init(_ check: AdapterCheck) {
        let outcome: Outcome = switch check.outcome {
        case .confirmed: .confirmed
        case .conflicting, .hit: .conflicting
        case .notFound: .notFound
        case .noHit, .recordsFound, .notVerified: .notVerified
        }
        self.init(outcome: outcome, reference: check.reference, detail: check.detail, at: check.at, problem: check.problem)
    }
}

/// The national ID register as readmission's identity registry.
struct NationalIDRegistry: IdentityRegistry {
    let adapter: NationalIDAdapter
    var name: String { adapter.client.manifest.name }

    func verify(_ person: PersonRecord, by actor: String, caseRef: String?) async -> IdentityMatch {
        // The requested state checks its own national: consent is the readmission agreement's legal basis.
        IdentityMatch(await adapter.authenticate(AdapterSubject(person), consentObtained: true,
                                                 context: AdapterCallContext(actor: actor, caseRef: caseRef, purpose: "readmission identity verification")))
    }
}

/// The civil registry as readmission's identity registry.
struct CivilRegistryRecords: IdentityRegistry {
    let adapter: CivilRegistryAdapter
    var name: String { adapter.client.manifest.name }

    func verify(_ person: PersonRecord, by actor: String, caseRef: String?) async -> IdentityMatch {
        IdentityMatch(await adapter.verify(AdapterSubject(person), context: AdapterCallContext(actor: actor, caseRef: caseRef, purpose: "readmission identity verification")))
    }
}

extension NodeAdapters {
    /// What registrations are checked against: the police (documents, watchlist) and the border
    /// history; nil when the node reaches neither.
    public var personChecker: (any PersonChecker)? {
        police == nil && border == nil ? nil : AdapterPersonChecker(police: police, border: border)
    }
}

/// Registration checks over the police and border adapters.
struct AdapterPersonChecker: PersonChecker {
    let police: PoliceAdapter?
    let border: BorderAdapter?

    func check(_ person: Person, requestedBy actor: UserID, role: String?, purpose: String) async -> [PersonCheckResult] {
        let subject = AdapterSubject(person.details)
        let context = AdapterCallContext(actor: actor.rawValue, role: role, personRef: person.id.rawValue, purpose: purpose)
        var checks: [AdapterCheck] = []
        if let police {
            checks += await police.documents(subject, context: context)
            checks.append(await police.watchlist(subject, context: context))
        }
        if let border { checks.append(await border.history(subject, context: context)) }
        return checks.map {
            PersonCheckResult(source: name(of: $0), kind: $0.kind.rawValue, check: $0.check, at: $0.at,
                              outcome: PersonCheck.Outcome(rawValue: $0.outcome.rawValue) ?? .notVerified, reference: $0.reference, detail: $0.detail, problem: $0.problem)
        }
    }

    func name(of check: AdapterCheck) -> String {
        switch check.kind {
        case .police: police?.client.manifest.name ?? check.system
        case .border: border?.client.manifest.name ?? check.system
        default: check.system
        }
    }
}

extension AdapterSubject {
    /// A registered person, in the adapters' terms.
    init(_ details: PersonDetails) {
        self.init(
            givenNames: details.name.given.isEmpty ? nil : details.name.given, familyName: details.name.family,
            nativeName: details.nativeNames.first.map { "\($0.given) \($0.family)".trimmingCharacters(in: .whitespaces) },
            dateOfBirth: details.dateOfBirth?.text, placeOfBirth: details.placeOfBirth, sex: details.sex.rawValue,
            nationality: details.nationality?.rawValue,
            documents: details.identityDocuments.map { .init(kind: $0.kind.rawValue, number: $0.number, issuingCountry: $0.issuingCountry.rawValue) }
        )
    }
}
