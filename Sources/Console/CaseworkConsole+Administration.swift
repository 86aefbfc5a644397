public import Casework
import Foundation
public import Hummingbird

/// User administration for administrators and the audit view for auditors.
extension CaseworkConsole {
    func signedIn(_ session: ConsoleSession) -> SignedIn {
        let grants = session.caller.grants ?? []
        return SignedIn(name: session.displayName, csrf: session.csrfToken,
                        canAudit: service.policy.allows(grants, .viewAudit), canAdminister: service.policy.allows(grants, .administer),
                        canSeeFederation: canSeeFederation(session), canSeeReadmission: canSeeReadmission(session))
    }

    func require(_ permission: Permission, _ session: ConsoleSession) throws {
        guard service.policy.allows(session.caller.grants ?? [], permission) else { throw IdentityError.forbidden }
    }

    func registerAdministration<Context: RequestContext>(on console: RouterGroup<Context>) {
        console.get("admin/users") { request, _ in
            let session = try await requireSession(request)
            try require(.administer, session)
            return try await usersPage(session)
        }
        console.post("admin/users") { request, _ in
            let session = try await requireSession(request)
            try require(.administer, session)
            let fields = try await checkedForm(request, session)
            guard let id = fields["id"].flatMap(UserID.init) else {
                return try await usersPage(session, message: Message(kind: "error", code: "console.invalid_form", text: "Give a user name of letters, digits, . _ - @."), status: .badRequest)
            }
            let grants = (fields["roles"] ?? "").split(separator: ",").compactMap { RoleGrant.parse(String($0)) }
            do {
                let password = try await gate.addUser(id, displayName: fields["name"] ?? id.rawValue, grants: grants, by: session.caller)
                return try await usersPage(session, message: Message(kind: "ok", code: "added", text: "\(id) added. Initial password (shown once): \(password)"))
            } catch let error as IdentityError {
                return try await usersPage(session, message: Message(kind: "error", code: error.code, text: error.reason), status: HTTPResponse.Status(code: error.category.httpStatusCode))
            }
        }
        console.post("admin/users/{user}/{action}") { request, context in
            let session = try await requireSession(request)
            try require(.administer, session)
            _ = try await checkedForm(request, session)
            guard let id = context.parameters.get("user").flatMap(UserID.init) else { throw IdentityError.userNotFound("") }
            switch context.parameters.get("action") ?? "" {
            case "disable": try await gate.setDisabled(id, true, by: session.caller)
            case "enable": try await gate.setDisabled(id, false, by: session.caller)
            case "reset-mfa": try await gate.resetMFA(id, by: session.caller)
            default: throw HTTPError(.notFound)
            }
            return Response(status: .seeOther, headers: [.location: "/console/admin/users"])
        }
        console.get("audit") { request, _ in
            let session = try await requireSession(request)
            try require(.viewAudit, session)
            let (entries, summary, intact) = try await gate.audit(last: 200, by: Self.caller(session, request))
            let rows = entries.map { entry in
                AuditRow(sequence: entry.sequence, at: ConsoleFormat.dateTime(entry.at), actor: entry.event.actor, role: entry.event.role ?? "",
                         action: entry.event.action.rawValue, resource: "\(entry.event.resourceType) \(entry.event.resourceRef.prefix(13))",
                         origin: entry.event.origin ?? "", purpose: entry.event.purpose ?? "", outcome: entry.event.outcome.rawValue)
            }
            return html("audit", AuditPage(nodeName: nodeName, signedIn: signedIn(session), summary: summary, intact: intact, entries: rows))
        }
    }

    /// The form of a POST, refused unless it carries the session's CSRF token.
    func checkedForm(_ request: Request, _ session: ConsoleSession) async throws -> [String: String] {
        let fields = try await form(request)
        guard fields["csrf"] == session.csrfToken else { throw ConsoleError(code: "console.csrf_failed", reason: "the form is not from this session", category: .forbidden) }
        return fields
    }

    func usersPage(_ session: ConsoleSession, message: Message? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        try require(.administer, session)
        let now = Date()
        let rows = try await gate.users().map { user -> UserRow in
            let locked = user.lockedUntil.map { $0 > now } ?? false
            let actions = [user.disabled ? ("enable", "Enable") : ("disable", "Disable")] + (locked ? [("enable", "Unlock")] : []) + (user.mfaEnrolled ? [("reset-mfa", "Reset two-factor")] : [])
            return UserRow(
                id: user.id.rawValue, name: user.displayName, roles: user.grants.map(\.label).joined(separator: ", "),
                mfa: user.mfaEnrolled ? "on" : "not enrolled", state: user.disabled ? "disabled" : locked ? "locked" : "active",
                actions: actions.map { UserRow.Action(id: user.id.rawValue, action: $0.0, label: $0.1, csrf: session.csrfToken) }
            )
        }
        return html("users", UsersPage(nodeName: nodeName, signedIn: signedIn(session), csrf: session.csrfToken, users: rows,
                                       roleNames: service.policy.roles.keys.sorted().joined(separator: ", "), message: message), status: status)
    }
}
