import AccordCore
import AccordServer
import AccordTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Identity
import NIOCore
import Readmission
import Testing

/// A minimal browser for console tests: keeps cookies, follows nothing, submits forms.
final class ConsoleBrowser: @unchecked Sendable {
    struct Page {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let html: String

        /// The value of a form's input field.
        func field(_ name: String) -> String? {
            inputs()[name]
        }

        /// Every `<input>` with a name, as a form would submit it (values unescaped).
        func inputs() -> [String: String] {
            var result: [String: String] = [:]
            for tag in html.matches(of: /<input\b[^>]*>/) {
                let text = String(tag.output)
                guard let name = text.firstMatch(of: /\bname="([^"]*)"/)?.output.1 else { continue }
                let value = text.firstMatch(of: /\bvalue="([^"]*)"/).map { String($0.output.1) } ?? ""
                result[String(name)] = value.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
                    .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
            }
            return result
        }
    }

    let client: any TestClientProtocol
    var cookies: [String: String] = [:]

    init(client: any TestClientProtocol) {
        self.client = client
    }

    func get(_ uri: String) async throws -> Page {
        try await send(.get, uri, form: nil)
    }

    func post(_ uri: String, form: [String: String]) async throws -> Page {
        try await send(.post, uri, form: form)
    }

    private func send(_ method: HTTPRequest.Method, _ uri: String, form: [String: String]?) async throws -> Page {
        var headers: HTTPFields = [:]
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        var body: ByteBuffer?
        if let form {
            headers[.contentType] = "application/x-www-form-urlencoded"
            body = ByteBuffer(string: form.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&"))
        }
        let page = try await client.execute(uri: uri, method: method, headers: headers, body: body) { response in
            Page(status: response.status, headers: response.headers, html: String(buffer: response.body))
        }
        for header in page.headers[values: .setCookie] {
            let pair = header.split(separator: ";").first.map(String.init) ?? ""
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard let name = parts.first else { continue }
            let value = parts.count > 1 ? parts[1] : ""
            if value.isEmpty || header.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
        return page
    }

    /// Signs in through the login form (password only; MFA as the account has it).
    func signIn(_ user: String, password: String, code: String? = nil) async throws -> Page {
        let login = try await get("/console/login")
        var form = ["user": user, "password": password, "csrf": login.field("csrf") ?? ""]
        if let code { form["code"] = code }
        return try await post("/console/login", form: form)
    }
}

extension AccordNode {
    static let consolePassword = "console test password"

    /// Creates `user` with `grants` (and, when `mfa`, an enrolled TOTP secret returned to the caller).
    func makeConsoleUser(_ user: String, grants: [RoleGrant], mfa: Bool = true) async throws -> [UInt8]? {
        let auth = try authentication()
        let id = UserID(user)!
        _ = try await auth.addUser(id, displayName: user, password: Self.consolePassword, grants: grants, by: .tool("test"))
        guard mfa else { return nil }
        let secret = TOTP.newSecret()
        _ = try await auth.change(id, by: .tool("test"), purpose: "test MFA") { $0.totpSecret = secret }
        return secret
    }

    /// Runs `body` with a browser signed in as `user` (who is created with MFA and signs in with a code).
    func withConsole<T: Sendable>(
        as user: String = "officer", grants: [RoleGrant] = [RoleGrant(role: "tester")], federation: FederationRole? = nil, readmission: ReadmissionDesk? = nil,
        _ body: @escaping @Sendable (ConsoleBrowser) async throws -> T
    ) async throws -> T {
        let secret = try await makeConsoleUser(user, grants: grants)
        let application = Application(router: try await makeRouter(federation: federation, readmission: readmission))
        return try await application.test(.router) { client in
            let browser = ConsoleBrowser(client: client)
            let signedIn = try await browser.signIn(user, password: Self.consolePassword, code: TOTP(secret: secret!).code(at: Date()))
            #expect(signedIn.status == .seeOther && browser.cookies["accord_session"] != nil, "sign-in failed: \(signedIn.html.prefix(300))")
            return try await body(browser)
        }
    }
}
