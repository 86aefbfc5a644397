public import Identity

/// Who is asking, in what role, from where and why: attributed in case history and in the audit
/// trail. The edges fill it from the console session or the API token.
public struct Caller: Sendable, Equatable {
    public var user: UserID
    public var role: String?
    /// Where the request came from: an IP address, `cli` or `system`.
    public var origin: String?
    /// Why, where the role requires a purpose.
    public var purpose: String?
    /// The caller's role grants, checked against the access policy. Nil for the node's own
    /// trusted tools (CLI, demo seeding, tests of the domain), which act without restriction.
    public var grants: [RoleGrant]?
    /// An API token's scopes: the permissions it may use at most (nil: those of the roles).
    public var scopes: Set<Permission>?

    public init(user: UserID, role: String? = nil, origin: String? = nil, purpose: String? = nil, grants: [RoleGrant]? = nil, scopes: Set<Permission>? = nil) {
        self.user = user
        self.role = role
        self.origin = origin
        self.purpose = purpose
        self.grants = grants
        self.scopes = scopes
    }

    public static let system = Caller(user: .system, role: "system", origin: "system")

    public static func user(_ id: UserID, role: String? = nil) -> Caller {
        Caller(user: id, role: role)
    }

    func event(_ action: AuditEvent.Action, _ resourceType: String, _ reference: String, outcome: AuditEvent.Outcome = .allowed) -> AuditEvent {
        AuditEvent(actor: user.rawValue, role: role, action: action, resourceType: resourceType, resourceRef: reference,
                   origin: origin, purpose: purpose, outcome: outcome)
    }
}
