import AccordServer
import ArgumentParser
import Exchange
import Federation
import Foundation

struct PKICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pki",
        abstract: "Run a development federation CA: root, hub/node/signer certificates, revocation, CRLs.",
        discussion: "A real federation runs its CA offline; see Certificates/README.md.",
        subcommands: [Init.self, Issue.self, Revoke.self, CRL.self, List.self]
    )

    struct DirectoryOption: ParsableArguments {
        @Option(help: "The CA directory (git-ignored).")
        var dir: String = "Certificates/generated"

        var pki: PKIDirectory { PKIDirectory(URL(fileURLWithPath: dir)) }
    }

    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create the federation root CA (P-256) and a first, empty CRL.")
        @OptionGroup var directory: DirectoryOption
        @Option(help: "The CA's common name.") var name = "Accord Development Federation CA"
        @Option(help: "How long each CRL is valid, in hours.") var crlHours = 24

        func run() async throws {
            try await reportingErrors {
                let authority = try directory.pki.initialise(name: name, now: Date(), crlValidity: Double(crlHours) * 3_600)
                print("federation CA '\(name)' created in \(directory.dir); certificate fingerprint \(authority.fingerprint)")
            }
        }
    }

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue a hub, node or signer certificate with a new P-256 key.")
        @OptionGroup var directory: DirectoryOption
        @Option(help: "hub, node or signer.") var role: String
        @Option(help: "The participant, e.g. BEL-DOFI.") var participant: String
        @Option(help: "A DNS name for a TLS certificate (repeatable).") var dns: [String] = []
        @Option(help: "An IP address for a TLS certificate (repeatable).") var ip: [String] = []
        @Option(help: "Validity in days.") var days = 365

        func run() async throws {
            try await reportingErrors {
                guard let role = CertificateRole(rawValue: role) else { throw ValidationError("--role must be hub, node or signer") }
                guard let participant = ParticipantID(participant) else { throw ValidationError("'\(participant)' is not a participant ID such as BEL-DOFI") }
                let certificate = try directory.pki.issue(role: role, participant: participant, dnsNames: dns, ipAddresses: ip, now: Date(), validityDays: days)
                print("issued \(role.rawValue) certificate for \(participant), serial \(PKIDirectory.canonicalSerial(bytes: Array(certificate.serialNumber.bytes)))")
                print("  \(directory.pki.certificateURL(participant, role).path)")
                print("  \(directory.pki.keyURL(participant, role).path) (private key, mode 0600)")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a certificate by serial (as `accord pki list` prints it). Publish with `accord pki crl`.")
        @OptionGroup var directory: DirectoryOption
        @Argument(help: "The serial number: colon-separated hex as `accord pki list` prints it, or plain hex as `openssl x509 -serial` does.") var serial: String

        func run() async throws {
            try await reportingErrors {
                try directory.pki.revoke(serial: serial, now: Date())
                print("revoked \(serial); run `accord pki crl` to publish it")
            }
        }
    }

    struct CRL: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Sign and write the next CRL (crl.pem) with every revocation so far.")
        @OptionGroup var directory: DirectoryOption
        @Option(help: "How long the CRL is valid, in hours. Nodes refuse every certificate once it expires.") var hours = 24

        func run() async throws {
            try await reportingErrors {
                let list = try directory.pki.publishCRL(now: Date(), validity: Double(hours) * 3_600)
                print("CRL number \(list.number) with \(list.entries.count) revocation(s), valid until \(list.nextUpdate.map { "\($0)" } ?? "-")")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List issued and revoked certificates.")
        @OptionGroup var directory: DirectoryOption

        func run() async throws {
            try await reportingErrors {
                let state = try directory.pki.state()
                let revoked = Set(state.revoked.compactMap { PKIDirectory.canonicalSerial($0.serial) })
                for item in state.issued {
                    let serial = PKIDirectory.canonicalSerial(item.serial) ?? item.serial
                    print("\(serial)  \(item.participant)  \(item.role)  until \(item.notAfter)\(revoked.contains(serial) ? "  REVOKED" : "")")
                }
            }
        }
    }
}
