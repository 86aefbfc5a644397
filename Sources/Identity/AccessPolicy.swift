/// What a user may do. Actions are fixed by the code; which role may do which action, in which
/// scope, is data (Profiles/access/roles.yaml), loaded into an `AccessPolicy`.
public enum Permission: String, Sendable, Codable, CaseIterable {
    case viewCase = "view_case"
    case editCase = "edit_case"
    case viewPerson = "view_person"
    case editPerson = "edit_person"
    case addNote = "add_note"
    case attachDocument = "attach_document"
    case decide
    case reassign
    case export
    case erasePerson = "erase_person"
    case viewAudit = "view_audit"
    case administer
    case exchange
    /// A national agency's system reporting in (an exit, a police hit, a registry notice).
    case agencyReport = "agency_report"
}

/// A role given to a user, optionally limited to one office.
public struct RoleGrant: Sendable, Equatable, Codable, Hashable {
    public var role: String
    /// Nil: every office the role's scope allows.
    public var office: String?
    /// For roles that exchange with partner states: the one partner (participant ID) this grant
    /// covers; nil: every partner.
    public var partner: String?

    public init(role: String, office: String? = nil, partner: String? = nil) {
        self.role = role
        self.office = office
        self.partner = partner
    }

    /// `role`, `role@OFFICE` or `role/PARTNER`, as typed in the CLI and shown in the console.
    public var label: String {
        if let partner { return "\(role)/\(partner)" }
        return office.map { "\(role)@\($0)" } ?? role
    }

    /// Reads a `label`; nil for an empty role.
    public static func parse(_ text: String) -> RoleGrant? {
        let text = text.trimmingCharacters(in: .whitespaces)
        if let slash = text.firstIndex(of: "/") {
            let role = String(text[..<slash]), partner = String(text[text.index(after: slash)...]).uppercased()
            return role.isEmpty || partner.isEmpty ? nil : RoleGrant(role: role, partner: partner)
        }
        let parts = text.split(separator: "@", maxSplits: 1).map(String.init)
        guard let role = parts.first, !role.isEmpty else { return nil }
        return RoleGrant(role: role, office: parts.count > 1 ? parts[1].uppercased() : nil)
    }
}

public struct AccessPolicy: Sendable, Equatable, Codable {
    public struct Role: Sendable, Equatable, Codable {
        public var description: String
        public var permissions: [Permission]
        /// `office`: only cases of the office named in the grant; `all`: every office.
        public var scope: Scope
        /// Case types the role may touch; nil = all.
        public var caseTypes: [String]?
        /// The role must state a purpose for reads of personal data.
        public var purposeRequired: Bool

        public enum Scope: String, Sendable, Codable { case office, all, own }

        public init(description: String, permissions: [Permission], scope: Scope, caseTypes: [String]? = nil, purposeRequired: Bool = false) {
            self.description = description
            self.permissions = permissions
            self.scope = scope
            self.caseTypes = caseTypes
            self.purposeRequired = purposeRequired
        }
    }

    /// The resource an action is about, as far as access decisions go.
    public struct Resource: Sendable, Equatable {
        public var office: String?
        public var caseType: String?

        public init(office: String? = nil, caseType: String? = nil) {
            self.office = office
            self.caseType = caseType
        }
    }

    public var roles: [String: Role]

    public init(roles: [String: Role]) {
        self.roles = roles
    }

    /// Whether any of `grants` allows `permission` on `resource`.
    /// The partners `grants` may exchange with under `permission`; nil: every partner (some grant
    /// names none).
    public func partners(_ grants: [RoleGrant], _ permission: Permission = .exchange) -> Set<String>? {
        let holding = grants.filter { roles[$0.role]?.permissions.contains(permission) ?? false }
        if holding.contains(where: { $0.partner == nil }) { return nil }
        return Set(holding.compactMap(\.partner))
    }

    public func allows(_ grants: [RoleGrant], _ permission: Permission, on resource: Resource = Resource()) -> Bool {
        grants.contains { grant in
            guard let role = roles[grant.role], role.permissions.contains(permission) else { return false }
            if let types = role.caseTypes, let type = resource.caseType, !types.contains(type) { return false }
            switch role.scope {
            case .all: return true
            case .office:
                // A resource bound to no office (a person not yet in any case) needs only the permission.
                guard let office = resource.office else { return true }
                return grant.office == office
            case .own:
                return false // the applicant portal decides ownership itself
            }
        }
    }

    /// The (office, case types) pairs under which `grants` allow `permission`: a case is
    /// allowed when it matches any pair (nil office: every office; nil types: every type).
    public func clauses(_ grants: [RoleGrant], _ permission: Permission) -> [AccessClause] {
        grants.compactMap { grant in
            guard let role = roles[grant.role], role.permissions.contains(permission) else { return nil }
            switch role.scope {
            case .all: return AccessClause(office: nil, caseTypes: role.caseTypes)
            case .office: return grant.office.map { AccessClause(office: $0, caseTypes: role.caseTypes) }
            case .own: return nil
            }
        }
    }

    public func purposeRequired(_ grants: [RoleGrant]) -> Bool {
        grants.contains { roles[$0.role]?.purposeRequired == true }
    }

    /// Problems of the policy as data.
    public func problems() -> [String] {
        var problems: [String] = []
        if roles.isEmpty { problems.append("no roles defined") }
        if !roles.values.contains(where: { $0.permissions.contains(.administer) }) { problems.append("no role may administer") }
        return problems
    }
}

/// One way a user may see cases: in this office (nil: any) and of these types (nil: any).
public struct AccessClause: Sendable, Equatable, Hashable {
    public var office: String?
    public var caseTypes: [String]?

    public init(office: String?, caseTypes: [String]?) {
        self.office = office
        self.caseTypes = caseTypes
    }
}
