/// Who performs an administrative action on accounts, as the audit trail records it: the real
/// actor, their role and where the request came from. Grants of nil mark the node's own trusted
/// tools (the CLI run by the operating system's administrator, demo seeding, tests), which act
/// without the access policy; a console or API caller always carries its grants and must hold
/// `administer`.
public struct Administrator: Sendable, Equatable {
    public var user: String
    public var role: String?
    public var origin: String
    public var grants: [RoleGrant]?

    public init(user: String, role: String?, origin: String, grants: [RoleGrant]?) {
        self.user = user
        self.role = role
        self.origin = origin
        self.grants = grants
    }

    /// A trusted local tool (`accord users …`, seeding): origin `cli`, role `administrator`.
    public static func tool(_ name: String) -> Administrator {
        Administrator(user: name, role: "administrator", origin: "cli", grants: nil)
    }
}
