import AccordCore
import ArgumentParser
import Exchange
import Foundation

/// `accord message …`: lets operators and partner developers produce, sign, verify and inspect
/// protocol messages exactly as Accord does.
struct MessageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "message",
        abstract: "Work with signed case messages (see Docs/Protocol.md).",
        subcommands: [Example.self, Sign.self, Verify.self, Inspect.self, Receipt.self]
    )

    struct Example: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print an unsigned example message of a type.")

        @Option(help: "Message type: \(MessageType.allCases.map(\.rawValue).joined(separator: ", ")).")
        var type: String = MessageType.readmissionApplication.rawValue

        @Option(help: "xml or json.")
        var encoding: String = "xml"

        func run() throws {
            guard let type = MessageType(rawValue: type) else { throw ValidationError("unknown message type '\(type)'") }
            guard let encoding = MessageCodec.Encoding(rawValue: encoding) else { throw ValidationError("--encoding must be xml or json") }
            let message = MessageExamples.message(type)
            print(encoding == .xml ? try MessageCodec.xml(message) : String(decoding: try MessageCodec.json(message), as: UTF8.self))
        }
    }

    struct SignerOptions: ParsableArguments {
        @Option(help: "The signing participant, e.g. BEL-DOFI.")
        var participant: String

        @Option(help: "PEM file with the participant's P-256 private key (PKCS#8 or SEC1).")
        var key: String

        @Option(help: "PEM file with the participant's signing certificate.")
        var certificate: String

        func signer() throws -> P256MessageSigner {
            guard let participant = ParticipantID(participant) else { throw ValidationError("'\(participant)' is not a participant ID such as BEL-DOFI") }
            return try P256MessageSigner(participant: participant, privateKeyPEM: readText(key), certificatePEM: readText(certificate))
        }
    }

    struct TrustOptions: ParsableArguments {
        @Option(name: .customLong("trust"), help: "A trusted signer as PARTICIPANT=certificate.pem; repeat for each.")
        var trusted: [String] = []

        func store() throws -> InMemoryTrustStore {
            guard !trusted.isEmpty else { throw ValidationError("give at least one --trust PARTICIPANT=certificate.pem") }
            return InMemoryTrustStore(try trusted.map { entry in
                let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, let participant = ParticipantID(parts[0]) else { throw ValidationError("--trust expects PARTICIPANT=certificate.pem, got '\(entry)'") }
                return try TrustedSigner(participant: participant, certificatePEM: readText(parts[1]))
            })
        }
    }

    struct Sign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Sign an unsigned message (XML or JSON) and print the wire form.")

        @OptionGroup var signer: SignerOptions

        @Option(help: "Wire encoding: xml (XML-DSig) or json (JWS). Default: that of the input.")
        var encoding: String?

        @Argument(help: "The unsigned message file, or - for standard input.")
        var file: String

        func run() async throws {
            try await reportingErrors {
                let bytes = try readBytes(file)
                let message = try MessageCodec.decodeUnsigned(bytes)
                let inputEncoding: MessageCodec.Encoding = bytes.first(where: { $0 > 0x20 }) == UInt8(ascii: "<") ? .xml : .json
                guard let target = encoding.map({ MessageCodec.Encoding(rawValue: $0) }) ?? inputEncoding else { throw ValidationError("--encoding must be xml or json") }
                FileHandle.standardOutput.write(Data(try MessageCodec.sign(message, encoding: target, with: signer.signer())))
                print()
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify a signed message against trusted certificates and print what was verified.",
            discussion: "Exits 0 and prints a JSON summary when the message verifies; otherwise prints `error: <code>: <reason>` and exits non-zero."
        )

        @OptionGroup var trust: TrustOptions

        @Flag(help: "Also refuse messages whose expiresAt has passed.")
        var checkExpiry = false

        @Argument(help: "The signed message file, or - for standard input.")
        var file: String

        func run() async throws {
            try await reportingErrors {
                let inbound = try MessageCodec.open(try readBytes(file), trust: trust.store(), now: checkExpiry ? Date() : nil)
                let envelope = inbound.message.envelope
                let summary: [String: String] = [
                    "verified": "true", "encoding": inbound.encoding.rawValue, "signer": inbound.signer.participant.rawValue,
                    "signerCertificate": inbound.signer.fingerprint.hex, "messageType": envelope.messageType.rawValue,
                    "messageID": envelope.messageID.rawValue, "sender": envelope.sender.rawValue, "recipient": envelope.recipient.rawValue,
                    "digest": inbound.digest,
                ]
                print(String(decoding: try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys, .prettyPrinted]), as: UTF8.self))
            }
        }
    }

    struct Inspect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a message's envelope and body WITHOUT verifying its signature.")

        @Argument(help: "The message file (signed or not), or - for standard input.")
        var file: String

        func run() async throws {
            try await reportingErrors {
                let bytes = try readBytes(file)
                let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                var unsigned = bytes
                if !text.hasPrefix("<"), text.split(separator: ".").count == 3 {
                    let parts = text.split(separator: ".")
                    print("JWS header: \(String(decoding: base64URL(parts[0]), as: UTF8.self))")
                    unsigned = base64URL(parts[1])
                } else if let start = text.range(of: "<ds:Signature"), let end = text.range(of: "</ds:Signature>") {
                    unsigned = Array((text[..<start.lowerBound] + text[end.upperBound...]).utf8)
                    print("XML signature present (not verified).")
                }
                let message = try MessageCodec.decodeUnsigned(unsigned)
                print("UNVERIFIED — use `accord message verify` before trusting any of this.")
                print(String(decoding: try MessageCodec.json(message), as: UTF8.self))
            }
        }

        func base64URL(_ part: Substring) -> [UInt8] {
            var text = part.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            text += String(repeating: "=", count: (4 - text.count % 4) % 4)
            return Array(Data(base64Encoded: text) ?? Data())
        }
    }

    struct Receipt: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Verify a message and print the signed receipt Accord would return for it.")

        @OptionGroup var signer: SignerOptions
        @OptionGroup var trust: TrustOptions

        @Argument(help: "The signed message file, or - for standard input.")
        var file: String

        func run() async throws {
            try await reportingErrors {
                let inbound = try MessageCodec.open(try readBytes(file), trust: trust.store(), now: nil)
                let receipt = try await ReceiptIssuer(signer: signer.signer(), store: InMemoryReceiptStore()).receipt(for: inbound)
                FileHandle.standardOutput.write(Data(receipt))
                print()
            }
        }
    }
}

func readBytes(_ path: String) throws -> [UInt8] {
    if path == "-" { return Array(FileHandle.standardInput.readDataToEndOfFile()) }
    guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read \(path)") }
    return Array(data)
}

func readText(_ path: String) throws -> String {
    String(decoding: try readBytes(path), as: UTF8.self)
}
