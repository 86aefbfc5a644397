public import AdapterKit
import Foundation

/// A national ID register shaped like MOSIP's ID authentication: a demographic authentication
/// (does this identity number belong to this name, date of birth and sex?) and an eKYC (what
/// the register releases about it). Settings: `partnerID`, `mispLicenseKey`.
public struct NationalIDAdapter: Sendable {
    public let client: AdapterClient
    let partnerID: String
    let licenseKey: String

    public init(client: AdapterClient) throws {
        guard client.manifest.kind == .nationalID else {
            throw AdapterError.misconfigured(client.system, "the manifest is for a \(client.manifest.kind.rawValue) system, not a national ID register")
        }
        guard let partner = client.manifest.settings["partnerID"], let license = client.manifest.settings["mispLicenseKey"] else {
            throw AdapterError.misconfigured(client.system, "settings.partnerID and settings.mispLicenseKey are required")
        }
        self.client = client
        self.partnerID = partner
        self.licenseKey = license
    }

    /// The person's identity number: a UIN or VID given as such, or the number of a national
    /// identity card the system's country issued.
    static func individual(_ subject: AdapterSubject, country: String?) -> (id: String, type: String)? {
        if let id = subject.nationalID { return (id, subject.nationalIDType ?? "UIN") }
        let card = subject.documents.first { ["national_id_card", "id_card", "national_id"].contains($0.kind) && (country == nil || $0.issuingCountry == nil || $0.issuingCountry == country) }
        return card.map { ($0.number, "UIN") }
    }

    func request(_ subject: AdapterSubject, consent: Bool, individual: (id: String, type: String)) -> MOSIP.AuthRequest {
        let now = MOSIP.timestamp()
        var names: [MOSIP.LocalizedValue] = []
        if let family = subject.familyName { names.append(.init(language: "eng", value: [subject.givenNames, family].compactMap { $0 }.joined(separator: " "))) }
        if let native = subject.nativeName { names.append(.init(language: "ara", value: native)) }
        return MOSIP.AuthRequest(
            requestTime: now, transactionID: String(UInt64.random(in: 1_000_000_000...9_999_999_999)), consentObtained: consent,
            individualId: individual.id, individualIdType: individual.type,
            request: .init(timestamp: now, demographics: .init(
                name: names.isEmpty ? nil : names, dob: subject.dateOfBirth.map(MOSIP.date),
                gender: subject.sex.map { [.init(language: "eng", value: $0 == "F" ? "Female" : $0 == "M" ? "Male" : "Other")] }))
        )
    }

    /// Fields a request carries for `subject` (after minimisation).
    static func fields(_ subject: AdapterSubject) -> Set<PersonField> {
        var fields = subject.presentFields.intersection([.givenNames, .familyName, .nativeName, .dateOfBirth, .sex])
        if subject.nationalID != nil { fields.insert(.nationalID) } else if !subject.documents.isEmpty { fields.insert(.documents) }
        return fields
    }

    /// Demographic authentication. `consentObtained`: the person agreed to the check (MOSIP
    /// refuses without it). Never throws: a failure is a `notVerified` check with its reason.
    public func authenticate(_ person: AdapterSubject, consentObtained: Bool, context: AdapterCallContext, country: String? = nil) async -> AdapterCheck {
        let subject = person.minimised(to: client.manifest.fields)
        let system = client.system
        guard let individual = Self.individual(subject, country: country) else {
            return AdapterCheck(system: system, kind: .nationalID, check: "authenticate", at: Date(), outcome: .notVerified,
                                detail: "no national identity number to authenticate (none given, no national identity card\(country.map { " issued by \($0)" } ?? ""))",
                                problem: "adapter.nothing_to_check")
        }
        let sent = Self.fields(subject)
        let result = await client.call(
            "authenticate", context: context, sent: sent,
            cacheKey: "auth|\(individual.type)|\(individual.id)|\(subject.familyName ?? "")|\(subject.givenNames ?? "")|\(subject.dateOfBirth ?? "")|\(subject.sex ?? "")|\(consentObtained)",
            request: { try .json("/idauthentication/v1/auth/\(licenseKey)/\(partnerID)", request(subject, consent: consentObtained, individual: individual)) },
            decode: { try $0.decode(MOSIP.AuthResponse.self, system: system) }
        )
        switch result {
        case .failure(let error):
            return AdapterCheck(system: system, kind: .nationalID, check: "authenticate", at: Date(), outcome: .notVerified, detail: error.reason, problem: error.code)
        case .success(let answer):
            return Self.check(answer, individual: individual, system: system)
        }
    }

    static func check(_ answer: MOSIP.AuthResponse, individual: (id: String, type: String), system: String) -> AdapterCheck {
        let now = Date()
        let label = "\(individual.type) \(individual.id)"
        if let status = answer.response?.authStatus, status, (answer.errors ?? []).isEmpty {
            return AdapterCheck(system: system, kind: .nationalID, check: "authenticate", at: now, outcome: .confirmed, reference: answer.transactionID,
                                detail: "\(label): name, date of birth and sex match the register")
        }
        guard let error = answer.errors?.first else {
            return AdapterCheck(system: system, kind: .nationalID, check: "authenticate", at: now, outcome: .conflicting, reference: answer.transactionID,
                                detail: "\(label): the register did not confirm the particulars")
        }
        let detail = "\(label): \(error.errorMessage) (\(error.errorCode))"
        switch error.errorCode {
        case MOSIP.Code.notInDatabase:
            return AdapterCheck(system: system, kind: .nationalID, check: "authenticate", at: now, outcome: .notFound, reference: answer.transactionID, detail: detail)
        case MOSIP.Code.demographicMismatch, MOSIP.Code.deactivated, MOSIP.Code.vidExpired:
            return AdapterCheck(system: system, kind: .nationalID, check: "authenticate", at: now, outcome: .conflicting, reference: answer.transactionID, detail: detail)
        default:
            return AdapterCheck(system: system, kind: .nationalID, check: "authenticate", at: now, outcome: .notVerified, reference: answer.transactionID, detail: detail,
                                problem: error.errorCode)
        }
    }

    /// eKYC: what the register releases about an identity number it has authenticated.
    public func identity(_ person: AdapterSubject, consentObtained: Bool, context: AdapterCallContext, country: String? = nil) async -> Result<MOSIP.Identity, AdapterError> {
        let subject = person.minimised(to: client.manifest.fields)
        let system = client.system
        guard let individual = Self.individual(subject, country: country) else {
            return .failure(AdapterError(code: "adapter.nothing_to_check", reason: "no national identity number to look up", system: system, category: .invalidInput))
        }
        let result = await client.call(
            "ekyc", context: context, sent: Self.fields(subject),
            request: { try .json("/idauthentication/v1/kyc/\(licenseKey)/\(partnerID)", request(subject, consent: consentObtained, individual: individual)) },
            decode: { try $0.decode(MOSIP.AuthResponse.self, system: system) }
        )
        return result.flatMap { answer in
            if let identity = answer.response?.identity, answer.response?.authStatus == true { return .success(identity) }
            let error = answer.errors?.first
            return .failure(AdapterError(code: "adapter.refused", reason: "\(system): \(error?.errorMessage ?? "no identity released") (\(error?.errorCode ?? "-"))", system: system,
                                         category: .unprocessable))
        }
    }
}
