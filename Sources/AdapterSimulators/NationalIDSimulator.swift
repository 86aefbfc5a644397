import Foundation
import Hummingbird
import NationalIDAdapter

/// MOSIP-shaped ID authentication over the population: demographic authentication and eKYC.
struct NationalIDSimulator: Sendable {
    let population: Population

    func register(on router: Router<BasicRequestContext>) {
        router.post("idauthentication/v1/auth/:license/:partner") { request, _ in
            try await answer(request, kyc: false)
        }
        router.post("idauthentication/v1/kyc/:license/:partner") { request, _ in
            try await answer(request, kyc: true)
        }
    }

    func answer(_ request: Request, kyc: Bool) async throws -> Response {
        let id = kyc ? MOSIP.kycID : MOSIP.authID
        guard let body = try await Simulators.body(request, as: MOSIP.AuthRequest.self) else {
            return Simulators.json(refusal(id, transaction: "", MOSIP.Code.invalidInput, "Invalid Input Parameter - request body"), status: .badRequest)
        }
        return Simulators.json(decide(body, id: id, kyc: kyc))
    }

    func refusal(_ id: String, transaction: String, _ code: String, _ message: String) -> MOSIP.AuthResponse {
        MOSIP.AuthResponse(id: id, transactionID: transaction, responseTime: MOSIP.timestamp(), response: .init(authStatus: false), errors: [.init(errorCode: code, errorMessage: message)])
    }

    func decide(_ body: MOSIP.AuthRequest, id: String, kyc: Bool) -> MOSIP.AuthResponse {
        let transaction = body.transactionID
        guard body.consentObtained else { return refusal(id, transaction: transaction, MOSIP.Code.consentMissing, "Consent not obtained") }
        guard body.individualIdType == "UIN" || body.individualIdType == "VID" else {
            return refusal(id, transaction: transaction, MOSIP.Code.invalidInput, "Invalid Input Parameter - individualIdType")
        }
        guard let person = population.people.first(where: { $0.uin == body.individualId }) else {
            return refusal(id, transaction: transaction, MOSIP.Code.notInDatabase, "\(body.individualIdType) not available in database")
        }
        if person.status == "deactivated" { return refusal(id, transaction: transaction, MOSIP.Code.deactivated, "UIN has been deactivated or blocked") }
        let demographics = body.request.demographics
        var mismatched: [String] = []
        if let names = demographics.name, !names.isEmpty {
            let latin = Population.fold([person.given, person.family].compactMap { $0 }.joined())
            let native = person.native.map { Population.fold([$0.given, $0.family].compactMap { $0 }.joined()) }
            if !names.contains(where: { Population.fold($0.value) == latin || Population.fold($0.value) == native }) { mismatched.append("name") }
        }
        if let dob = demographics.dob, dob != MOSIP.date(person.dateOfBirth) { mismatched.append("dob") }
        if let gender = demographics.gender?.first?.value, let sex = person.sex, gender.prefix(1).uppercased() != sex { mismatched.append("gender") }
        guard mismatched.isEmpty else {
            return refusal(id, transaction: transaction, MOSIP.Code.demographicMismatch, "Demographic data \(mismatched.joined(separator: ", ")) did not match")
        }
        let identity = kyc ? MOSIP.Identity(
            fullName: [.init(language: "eng", value: [person.given, person.family].compactMap { $0 }.joined(separator: " "))]
                + (person.native.map { [.init(language: "ara", value: [$0.given, $0.family].compactMap { $0 }.joined(separator: " "))] } ?? []),
            dateOfBirth: MOSIP.date(person.dateOfBirth), gender: person.sex.map { [.init(language: "eng", value: $0 == "F" ? "Female" : "Male")] }, placeOfBirth: person.placeOfBirth
        ) : nil
        return MOSIP.AuthResponse(id: id, transactionID: transaction, responseTime: MOSIP.timestamp(),
                                  response: .init(authStatus: true, authToken: UUID().uuidString, identity: identity), errors: nil)
    }
}
