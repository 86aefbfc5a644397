import Foundation

/// The profiles shipped with Accord, bundled into the binary's resources so that `accord demo`
/// and a node without `--profiles` work from any directory. A country's own profiles are given
/// with `--profiles` or `ACCORD_PROFILES`. (The only Swift file in Profiles/: SwiftPM bundles
/// resources of a target's own folder only.)
public enum DefaultProfiles {
    /// The folder of the shipped agreement profiles.
    public static var agreements: URL? { Bundle.module.url(forResource: "agreements", withExtension: nil) }
    /// The folder of the shipped access policy (roles.yaml).
    public static var access: URL? { Bundle.module.url(forResource: "access", withExtension: nil) }
    /// The folder of the shipped workflows (one per case type) and office calendars.
    public static var workflows: URL? { Bundle.module.url(forResource: "workflows", withExtension: nil) }
    /// The folder of the shipped triage rules.
    public static var triage: URL? { Bundle.module.url(forResource: "triage", withExtension: nil) }
}
