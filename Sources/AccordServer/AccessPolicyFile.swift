public import Identity
import Foundation
import Yams

/// Reads and writes the access policy as YAML (Profiles/access/roles.yaml).
public enum AccessPolicyFile {
    public static func yaml(_ policy: AccessPolicy) throws -> String {
        let encoder = YAMLEncoder()
        encoder.options.sortKeys = true
        return "# Roles and permissions of an Accord node. Generated from AccessPolicy.standard; copy it,\n"
            + "# edit the copy and point access.policy-file at it. Validated on start.\n"
            + (try encoder.encode(policy))
    }

    /// Parses a policy and refuses one that names unknown permissions or has no administrator.
    public static func load(_ text: String, file: String = "roles.yaml") throws -> AccessPolicy {
        let policy: AccessPolicy
        do {
            policy = try YAMLDecoder().decode(AccessPolicy.self, from: text)
        } catch {
            throw ServerError(code: "config.access_policy_invalid", reason: "\(file): \(error)")
        }
        if let problem = policy.problems().first {
            throw ServerError(code: "config.access_policy_invalid", reason: "\(file): \(problem)")
        }
        return policy
    }
}
