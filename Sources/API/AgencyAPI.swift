public import AccordCore
public import Casework
import Crypto
import Foundation
import HTTPTypes
public import Hummingbird
import NIOCore

/// National agencies calling in, under `/api/v1/agency`: the border service reports an exit,
/// the police a hit, a registry a death or a cancelled document. Callers are service accounts
/// with the `agency_report` permission (a token scoped to it); every request carries an
/// `Idempotency-Key`, and a repeat gets the first answer again without a second effect.
public struct AgencyAPI: Sendable {
    public typealias ExitFollowUp = @Sendable (_ persons: [Person.ID], _ at: Date, _ summary: String, _ caller: Caller) async throws -> [AgencyOutcome.Effect]

    let service: CaseworkService
    let authenticator: any APIAuthenticator
    let idempotency: any IdempotencyLog
    /// What an exit does beyond the case file (a readmission transfer completed); nil: nothing.
    let exitFollowUp: ExitFollowUp?

    public init(service: CaseworkService, authenticator: any APIAuthenticator, idempotency: any IdempotencyLog, exitFollowUp: ExitFollowUp? = nil) {
        self.service = service
        self.authenticator = authenticator
        self.idempotency = idempotency
        self.exitFollowUp = exitFollowUp
    }

    static let keyHeader = HTTPField.Name("Idempotency-Key")!
    static let replayHeader = HTTPField.Name("Idempotent-Replay")!

    /// Registered after `CaseworkAPI` (whose middleware maps errors to problem documents).
    public func register<Context: RequestContext>(on router: Router<Context>) {
        let agency = router.group("api/v1/agency")
        agency.post("exits") { request, _ in
            try await handle(request, ExitReport.self) { report, caller in
                let (persons, outcome, at) = try await service.reportExit(report, by: caller)
                var effects = outcome.effects
                if let exitFollowUp, !persons.isEmpty {
                    let point = report.crossingPoint?.name ?? report.crossingPoint?.code ?? ""
                    effects += try await exitFollowUp(persons, at, "exit recorded by the border service at \(point)", caller)
                }
                return AgencyOutcome(matchedPersons: outcome.matchedPersons, effects: effects)
            }
        }
        agency.post("police-hits") { request, _ in
            try await handle(request, PoliceHitReport.self) { try await service.reportPoliceHit($0, by: $1) }
        }
        agency.post("registry-notices") { request, _ in
            try await handle(request, RegistryNotice.self) { try await service.reportRegistryNotice($0, by: $1) }
        }
    }

    /// Authentication, the idempotency key, strict decoding, then `body` once per key.
    func handle<Input: Decodable & Sendable>(
        _ request: Request, _ type: Input.Type, _ body: @Sendable (Input, Caller) async throws -> AgencyOutcome
    ) async throws -> Response {
        guard let token = request.bearerToken else { throw IdentityError.unauthenticated }
        let caller = try await authenticator.caller(token: token, origin: request.origin, purpose: request.purpose ?? "agency report")
        guard let key = request.headers[Self.keyHeader], (1...200).contains(key.count), key.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0.asciiValue.map { $0 >= 0x21 && $0 < 0x7F } ?? false }) else {
            throw APIError(code: "agency.idempotency_key_required", reason: "send an Idempotency-Key header (1–200 visible ASCII characters, unique per report)",
                           diagnostics: [Diagnostic(code: "agency.idempotency_key_required", message: "required, 1–200 visible ASCII characters", path: "Idempotency-Key")])
        }
        let data = try await request.jsonBody()
        let input = try Request.decodeJSON(type, from: data)
        let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        switch try await idempotency.claim(caller: caller.user.rawValue, key: key, digest: digest, at: Date()) {
        case .replay(let status, let stored):
            return Response(status: .init(code: status), headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store", Self.replayHeader: "true"],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: stored)))
        case .conflict:
            throw APIError(code: "agency.idempotency_key_reused", reason: "this Idempotency-Key was used for another request; use a new key for a new report",
                           category: .unprocessable, diagnostics: [Diagnostic(code: "agency.idempotency_key_reused", message: "used for another request", path: "Idempotency-Key")])
        case .inProgress:
            throw APIError(code: "agency.request_in_progress", reason: "a request with this Idempotency-Key is being handled; ask again shortly", category: .conflict)
        case .claimed:
            do {
                let outcome = try await body(input, caller)
                let bytes = try JSONResponse.encoder.encode(outcome)
                try await idempotency.complete(caller: caller.user.rawValue, key: key, status: 200, body: Array(bytes))
                return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                                body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
            } catch {
                try? await idempotency.release(caller: caller.user.rawValue, key: key)
                throw error
            }
        }
    }
}
