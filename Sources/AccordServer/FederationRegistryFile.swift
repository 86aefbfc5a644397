public import Exchange
public import Federation
public import Foundation
import Gateway
import Yams

/// The hub's participant registry and agreements as a YAML (or JSON) file — what an operator
/// edits; the hub turns it into the signed federation configuration it publishes
/// (Profiles/federation/example.yaml shows every key):
///
/// ```yaml
/// hub: EUE-HUB
/// participants:
///   - id: BEL-DOFI
///     name: Belgium — Immigration Office
///     delivery: pull                 # or push, with endpoint: host:port
///     signerCertificates: [BEL-DOFI-signer.pem]   # default: <id>-signer.pem in the PKI directory
/// agreements:
///   - id: EU-MAR-2026
///     parties: [BEL-DOFI, MAR-INTERIOR]
///     messageTypes: all              # or a list
///     withheldPersonFields: [placeOfBirth]
/// ```
public enum FederationRegistryFile {
    struct File: Decodable {
        let hub: String
        let participants: [ParticipantEntry]
        let agreements: [AgreementEntry]
    }

    struct ParticipantEntry: Decodable {
        let id: String
        let name: String
        let delivery: Participant.Delivery?
        let endpoint: String?
        let active: Bool?
        let signerCertificates: [String]?
    }

    struct AgreementEntry: Decodable {
        let id: String
        let parties: [String]
        let messageTypes: MessageTypes
        let withheldPersonFields: [String]?
    }

    enum MessageTypes: Decodable {
        case all
        case some([String])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let word = try? container.decode(String.self), word == "all" {
                self = .all
            } else {
                self = .some(try container.decode([String].self))
            }
        }
    }

    /// Reads `file` and builds the configuration: certificate paths are relative to the file's
    /// directory, then to `pki`. Every problem is reported as `config.federation_invalid`.
    public static func load(_ file: URL, pki: PKIDirectory, serial: Int, issuedAt: Date) throws -> FederationConfiguration {
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw invalid(file, "cannot read it: \(error.localizedDescription)")
        }
        return try parse(text, file: file, pki: pki, serial: serial, issuedAt: issuedAt)
    }

    public static func parse(_ text: String, file: URL, pki: PKIDirectory, serial: Int, issuedAt: Date) throws -> FederationConfiguration {
        let parsed: File
        do {
            parsed = try YAMLDecoder().decode(File.self, from: text)
        } catch {
            throw invalid(file, "\(error)")
        }
        guard let hub = ParticipantID(parsed.hub) else { throw invalid(file, "hub \(parsed.hub) is not a participant ID") }
        var participants: [Participant] = []
        for entry in parsed.participants {
            guard let id = ParticipantID(entry.id) else { throw invalid(file, "\(entry.id) is not a participant ID (like BEL-DOFI)") }
            let delivery = entry.delivery ?? (entry.endpoint == nil ? .pull : .push)
            if delivery == .push {
                guard let endpoint = entry.endpoint, FederationEndpoint(parsing: endpoint) != nil else {
                    throw invalid(file, "\(id) is delivered by push and needs endpoint: host:port")
                }
            }
            let paths = entry.signerCertificates ?? [pki.certificateURL(id, .signer).path]
            var pems: [String] = []
            for path in paths {
                let candidates = path.hasPrefix("/") ? [URL(fileURLWithPath: path)]
                    : [file.deletingLastPathComponent().appendingPathComponent(path), pki.url.appendingPathComponent(path)]
                guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }),
                      let pem = try? String(contentsOf: found, encoding: .utf8) else {
                    throw invalid(file, "the signer certificate \(path) of \(id) is not there (issue it with accord pki issue --role signer)")
                }
                pems.append(pem)
            }
            participants.append(Participant(id: id, name: entry.name, delivery: delivery, endpoint: entry.endpoint, active: entry.active ?? true, signerCertificates: pems))
        }
        if !participants.contains(where: { $0.id == hub }) { throw invalid(file, "the hub \(hub) is not among the participants") }
        var agreements: [Agreement] = []
        for entry in parsed.agreements {
            var parties: [ParticipantID] = []
            for party in entry.parties {
                guard let id = ParticipantID(party) else { throw invalid(file, "agreement \(entry.id): \(party) is not a participant ID") }
                parties.append(id)
            }
            let types: [MessageType]
            switch entry.messageTypes {
            case .all:
                types = MessageType.allCases.filter { $0 != .receipt && $0 != .error }
            case .some(let names):
                types = try names.map { name in
                    guard let type = MessageType(rawValue: name) else {
                        throw invalid(file, "agreement \(entry.id): unknown message type \(name) (known: \(MessageType.allCases.map(\.rawValue).joined(separator: ", ")))")
                    }
                    return type
                }
            }
            agreements.append(Agreement(id: entry.id, parties: parties, messageTypes: types, withheldPersonFields: entry.withheldPersonFields ?? []))
        }
        let configuration = FederationConfiguration(serial: serial, issuedAt: issuedAt, hub: hub, participants: participants, agreements: agreements)
        if let problem = configuration.problems().first { throw invalid(file, problem) }
        return configuration
    }

    static func invalid(_ file: URL, _ reason: String) -> ServerError {
        ServerError(code: "config.federation_invalid", reason: "\(file.lastPathComponent): \(reason)")
    }
}
