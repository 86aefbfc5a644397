import AccordCore
import AccordServer
import ArgumentParser
import Foundation
import Identity
import Storage

struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Administer the node's user accounts (every change is audited).",
        subcommands: [Add.self, List.self, Disable.self, Enable.self, ResetMFA.self, Grant.self, Revoke.self, Token.self]
    )

    struct Target: ParsableArguments {
        @OptionGroup var options: NodeOptions

        @Option(help: "Who is making the change (recorded in the audit trail).")
        var admin: String = ProcessInfo.processInfo.environment["USER"] ?? "administrator"

        func run<T>(_ body: (AuthenticationService) async throws -> T) async throws -> T {
            try await withNode { try await body(try $0.authentication()) }
        }

        /// `existing`: read-only use — refuse a place without a database instead of creating one.
        func withNode<T>(existing: Bool = false, _ body: (AccordNode) async throws -> T) async throws -> T {
            let configuration = try await NodeConfiguration.load(flags: options.flags, configFile: options.config)
            let node = try await AccordNode.open(configuration, existing: existing)
            do {
                let result = try await body(node)
                await node.close()
                return result
            } catch {
                await node.close()
                throw error
            }
        }
    }

    static func grants(_ texts: [String]) throws -> [RoleGrant] {
        try texts.map { text in
            guard let grant = RoleGrant.parse(text) else { throw ValidationError("--role expects ROLE, ROLE@OFFICE or ROLE/PARTNER") }
            return grant
        }
    }

    static func user(_ text: String) throws -> UserID {
        guard let id = UserID(text) else { throw ValidationError("'\(text)' is not a user name (1–64 of letters, digits, . _ - @)") }
        return id
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user. Without --password-stdin a strong password is generated and printed once.")

        @OptionGroup var target: Target
        @Argument(help: "User name, e.g. k.novak") var user: String
        @Option(help: "Display name.") var name: String
        @Option(help: "ROLE, ROLE@OFFICE, or ROLE/PARTNER (a liaison limited to one partner state); repeat for several.") var role: [String] = []
        @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false

        func run() async throws {
            try await reportingErrors {
                let password = passwordStdin ? (readLine(strippingNewline: true) ?? "") : AuthenticationService.initialPassword()
                let account = try await target.run { auth in
                    try await auth.addUser(UsersCommand.user(user), displayName: name, password: password, grants: UsersCommand.grants(role), by: .tool(target.admin))
                }
                print("added \(account.id) with roles \(account.grants.map(\.label).joined(separator: ", "))")
                if !passwordStdin { print("initial password (shown once): \(password)") }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users with their roles and state.")
        @OptionGroup var target: Target

        func run() async throws {
            try await reportingErrors {
                let users = try await target.withNode(existing: true) { try await $0.authentication().users.users() }
                for user in users {
                    let roles = user.grants.map(\.label).joined(separator: ",")
                    let state = user.disabled ? "disabled" : (user.lockedUntil.map { $0 > Date() ? "locked" : "active" } ?? "active")
                    print("\(user.id.rawValue)\t\(user.displayName)\t\(roles)\tmfa=\(user.mfaEnrolled ? "yes" : "no")\t\(state)")
                }
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a user (sign-in refused; history kept).")
        @OptionGroup var target: Target
        @Argument var user: String

        func run() async throws {
            try await reportingErrors {
                try await target.run { try await $0.setDisabled(UsersCommand.user(user), true, by: .tool(target.admin)) }
                print("disabled \(user)")
            }
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled or locked user.")
        @OptionGroup var target: Target
        @Argument var user: String

        func run() async throws {
            try await reportingErrors {
                try await target.run { try await $0.setDisabled(UsersCommand.user(user), false, by: .tool(target.admin)) }
                print("enabled \(user)")
            }
        }
    }

    struct ResetMFA: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reset-mfa", abstract: "Remove a user's TOTP secret and recovery codes; they enrol again at next sign-in.")
        @OptionGroup var target: Target
        @Argument var user: String

        func run() async throws {
            try await reportingErrors {
                try await target.run { try await $0.resetMFA(UsersCommand.user(user), by: .tool(target.admin)) }
                print("MFA reset for \(user)")
            }
        }
    }

    struct Grant: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Give a user a role (ROLE, ROLE@OFFICE or ROLE/PARTNER).")
        @OptionGroup var target: Target
        @Argument var user: String
        @Option(help: "ROLE, ROLE@OFFICE, or ROLE/PARTNER (a liaison limited to one partner state); repeat for several.") var role: [String]

        func run() async throws {
            try await changeRoles(target, user: user, roles: role, grant: true)
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take a role (ROLE, ROLE@OFFICE or ROLE/PARTNER) from a user.")
        @OptionGroup var target: Target
        @Argument var user: String
        @Option(help: "ROLE, ROLE@OFFICE, or ROLE/PARTNER (a liaison limited to one partner state); repeat for several.") var role: [String]

        func run() async throws {
            try await changeRoles(target, user: user, roles: role, grant: false)
        }
    }

    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue an API token for a user (an agency's system); printed once.")
        @OptionGroup var target: Target
        @Argument var user: String
        @Option(help: "Limit the token to these permissions (\(Permission.allCases.map(\.rawValue).joined(separator: ", "))); repeat. Default: the user's roles.")
        var scope: [String] = []
        @Option(help: "Days until the token expires.") var days: Int = 90

        func run() async throws {
            try await reportingErrors {
                let scopes = try scope.isEmpty ? nil : Set(scope.map { text -> Permission in
                    guard let permission = Permission(rawValue: text) else { throw ValidationError("unknown permission '\(text)'") }
                    return permission
                })
                let secret = try await target.withNode { node in
                    try await node.authentication().issueToken(for: UsersCommand.user(user), scopes: scopes, validity: Double(max(1, days)) * 86_400,
                                                               tokens: SQLTokenRepository(store: node.store), by: .tool(target.admin))
                }
                print(secret)
            }
        }
    }

    static func changeRoles(_ target: Target, user: String, roles: [String], grant: Bool) async throws {
        try await reportingErrors {
            let account = try await target.run { auth in
                try await auth.change(UsersCommand.user(user), by: .tool(target.admin), purpose: grant ? "grant role" : "revoke role") { account in
                    let changed = try UsersCommand.grants(roles)
                    if grant {
                        for item in changed where !account.grants.contains(item) { account.grants.append(item) }
                    } else {
                        account.grants.removeAll { changed.contains($0) }
                    }
                }
            }
            print("\(user): \(account.grants.map(\.label).joined(separator: ", "))")
        }
    }
}


