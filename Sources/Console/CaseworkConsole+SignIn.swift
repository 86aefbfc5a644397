public import Casework
import Foundation
public import Hummingbird
import NIOCore

/// Sign-in, sign-out and MFA enrolment pages, sessions and CSRF.
extension CaseworkConsole {
    static let sessionCookie = "accord_session"
    static let loginCookie = "accord_login"

    static func caller(_ session: ConsoleSession, _ request: Request) -> Caller {
        var caller = session.caller
        if let purpose = request.uri.queryParameters["purpose"].map(String.init), !purpose.isEmpty { caller.purpose = String(purpose.prefix(200)) }
        return caller
    }

    /// The session of the request; otherwise the browser is sent to sign in (or to enrol MFA).
    func requireSession(_ request: Request, allowEnrolment: Bool = false) async throws -> ConsoleSession {
        guard let secret = request.cookies[Self.sessionCookie]?.value,
              let session = try await gate.resume(secret, origin: "console") else {
            throw ConsoleRedirect(location: "/console/login")
        }
        if session.enrolmentOnly && !allowEnrolment { throw ConsoleRedirect(location: "/console/mfa") }
        return session
    }

    func form(_ request: Request) async throws -> [String: String] {
        let buffer = try await request.body.collect(upTo: 16 * 1024)
        var fields: [String: String] = [:]
        for pair in String(buffer: buffer).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            if let key = parts.first { fields[key] = parts.count > 1 ? parts[1] : "" }
        }
        return fields
    }

    func cookie(_ name: String, _ value: String, maxAge: Int? = nil) -> Cookie {
        var cookie = Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: gate.secureCookies, httpOnly: true, sameSite: .strict)
        if maxAge == 0 { cookie = Cookie(name: name, value: "", maxAge: 0, path: "/", secure: gate.secureCookies, httpOnly: true, sameSite: .strict) }
        return cookie
    }

    // MARK: Sign-in

    /// The form carries a random token that must match a cookie (double submit): no cross-site
    /// page can sign a browser in.
    func loginPage(_ request: Request, message: Message? = nil, user: String = "", status: HTTPResponse.Status = .ok) -> Response {
        let token = UUID().uuidString
        var response = html("login", LoginPage(nodeName: nodeName, csrf: token, user: user, message: message), status: status)
        response.setCookie(cookie(Self.loginCookie, token, maxAge: 600))
        return response
    }

    func signIn(_ request: Request) async throws -> Response {
        let fields = try await form(request)
        let user = fields["user"] ?? ""
        guard let expected = request.cookies[Self.loginCookie]?.value, fields["csrf"] == expected else {
            return loginPage(request, message: Message(kind: "error", code: "console.csrf_failed", text: "The form expired; please try again."), user: user, status: .forbidden)
        }
        do {
            let code = fields["code"].flatMap { $0.isEmpty ? nil : $0.replacingOccurrences(of: " ", with: "") }
            let secret = try await gate.signIn(user: user, password: fields["password"] ?? "", code: code, origin: "console")
            let landing = try await gate.resume(secret, origin: "console").map(landingPage) ?? "/console/work"
            var response = Response(status: .seeOther, headers: [.location: landing, .cacheControl: "no-store"])
            response.setCookie(cookie(Self.sessionCookie, secret))
            response.setCookie(cookie(Self.loginCookie, "", maxAge: 0))
            return response
        } catch let error as IdentityError {
            return loginPage(request, message: Message(kind: "error", code: error.code, text: error.reason), user: user, status: .unauthorized)
        }
    }

    /// Where each role starts: officers and supervisors on their work, liaison officers on the
    /// readmission desk, auditors on the audit trail, administrators on the users.
    func landingPage(_ session: ConsoleSession) -> String {
        if session.enrolmentOnly { return "/console/mfa" }
        let grants = session.caller.grants ?? []
        let allows = { (permission: Permission) in grants.contains { service.policy.roles[$0.role]?.permissions.contains(permission) == true } }
        if allows(.editCase) || allows(.decide) && !allows(.exchange) { return "/console/work" }
        if allows(.exchange) { return "/console/readmission" }
        if allows(.viewAudit) { return "/console/audit" }
        if allows(.administer) { return "/console/admin/users" }
        return "/console/cases"
    }

    func signOut(_ request: Request) async throws -> Response {
        let session = try await requireSession(request, allowEnrolment: true)
        let fields = try await form(request)
        guard fields["csrf"] == session.csrfToken else { throw ConsoleError(code: "console.csrf_failed", reason: "the form is not from this session", category: .forbidden) }
        if let secret = request.cookies[Self.sessionCookie]?.value { try await gate.signOut(secret) }
        var response = Response(status: .seeOther, headers: [.location: "/console/login"])
        response.setCookie(cookie(Self.sessionCookie, "", maxAge: 0))
        return response
    }

    // MARK: MFA enrolment

    func enrolmentPage(_ request: Request, message: Message? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let session = try await requireSession(request, allowEnrolment: true)
        let (secret, uri) = try await gate.beginEnrolment(session.caller.user)
        let text = Base32.encode(secret)
        let groups = stride(from: 0, to: text.count, by: 4).map { String(Array(text)[$0..<min($0 + 4, text.count)]) }.joined(separator: " ")
        return html("mfa", MFAPage(nodeName: nodeName, signedIn: signedIn(session), csrf: session.csrfToken,
                                   secret: text, secretGroups: groups, uri: uri, qr: (try? QRCode(uri).svg()) ?? "", recoveryCodes: [], message: message, hasRecoveryCodes: false,
                                   replacing: session.mfaEnrolled), status: status)
    }

    func confirmEnrolment(_ request: Request) async throws -> Response {
        let session = try await requireSession(request, allowEnrolment: true)
        let fields = try await form(request)
        guard fields["csrf"] == session.csrfToken else { throw ConsoleError(code: "console.csrf_failed", reason: "the form is not from this session", category: .forbidden) }
        guard let secret = fields["secret"].flatMap(Base32.decode), secret.count >= 16 else {
            return try await enrolmentPage(request, message: Message(kind: "error", code: "console.invalid_form", text: "The key is missing."), status: .badRequest)
        }
        do {
            let codes = try await gate.confirmEnrolment(session.caller.user, secret: secret, code: (fields["code"] ?? "").replacingOccurrences(of: " ", with: ""),
                                                        password: fields["password"], currentCode: fields["currentCode"].map { $0.replacingOccurrences(of: " ", with: "") })
            return html("mfa", MFAPage(nodeName: nodeName, signedIn: signedIn(session), csrf: session.csrfToken,
                                       secret: "", secretGroups: "", uri: "", qr: "", recoveryCodes: codes, message: nil, hasRecoveryCodes: true, replacing: false))
        } catch let error as IdentityError {
            return try await enrolmentPage(request, message: Message(kind: "error", code: error.code, text: session.mfaEnrolled
                ? "The password or one of the codes did not match; nothing was changed." : "That code did not match; try the current one."), status: .badRequest)
        }
    }
}
