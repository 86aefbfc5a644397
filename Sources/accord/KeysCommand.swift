import AccordServer
import ArgumentParser
import Foundation
import Identity
import Storage

struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Manage the master keys that protect personal data at rest.",
        subcommands: [Rotate.self]
    )

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a new master key version and rewrap every person's data key under it.",
            discussion: """
                Safe while nodes are serving: they keep reading with the old version and reload the key \
                file when they meet the new one. The old version stays in the key file (remove it only \
                after every node has restarted and every backup made with it has expired). The blind-index \
                key is not rotated.
                """
        )

        @OptionGroup var options: NodeOptions

        func run() async throws {
            try await reportingErrors {
                let configuration = try await NodeConfiguration.load(flags: options.flags, configFile: options.config)
                let node = try await AccordNode.open(configuration)
                do {
                    let rotated = try MasterKeys.load(file: configuration.masterKeyFile, create: false).rotated()
                    try rotated.write(to: configuration.masterKeyFile)
                    let count = try await node.cipher.rotate(to: rotated, in: node.store)
                    try await node.auditLog.record(AuditEvent(actor: ProcessInfo.processInfo.environment["USER"] ?? "administrator", role: "administrator",
                                                              action: .administer, resourceType: "master_key", resourceRef: "version \(rotated.current)",
                                                              origin: "cli", purpose: "rotate master key; \(count) data keys rewrapped"))
                    print("master key version \(rotated.current) is current; \(count) data keys rewrapped")
                } catch {
                    await node.close()
                    throw error
                }
                await node.close()
            }
        }
    }
}
