public import Crypto
public import Exchange
public import Federation
public import Foundation
import X509

/// A development federation CA kept in a directory (default `Certificates/generated/`):
/// `ca.pem`, `ca-key.pem` (mode 0600), `ca-state.json` (next CRL number, revocations, issued
/// certificates) and the current `crl.pem`. Leaf keys and certificates are written beside them as
/// `<participant>-<role>.pem` and `<participant>-<role>-key.pem`.
public struct PKIDirectory: Sendable {
    public let url: URL

    public struct State: Codable, Sendable {
        public struct Issued: Codable, Sendable {
            public let serial: String
            public let participant: String
            public let role: String
            public let notAfter: Date
        }

        public struct Revoked: Codable, Sendable {
            public let serial: String
            public let revokedAt: Date
        }

        public var nextCRLNumber = 1
        public var issued: [Issued] = []
        public var revoked: [Revoked] = []
    }

    public init(_ url: URL) {
        self.url = url
    }

    var caURL: URL { url.appendingPathComponent("ca.pem") }
    var caKeyURL: URL { url.appendingPathComponent("ca-key.pem") }
    var stateURL: URL { url.appendingPathComponent("ca-state.json") }
    public var crlURL: URL { url.appendingPathComponent("crl.pem") }

    public func certificateURL(_ participant: ParticipantID, _ role: CertificateRole) -> URL {
        url.appendingPathComponent("\(participant.rawValue)-\(role.rawValue).pem")
    }

    public func keyURL(_ participant: ParticipantID, _ role: CertificateRole) -> URL {
        url.appendingPathComponent("\(participant.rawValue)-\(role.rawValue)-key.pem")
    }

    public var exists: Bool { FileManager.default.fileExists(atPath: caKeyURL.path) }

    /// Creates the CA and a first, empty CRL. Refuses to overwrite an existing CA.
    public func initialise(name: String, now: Date, crlValidity: TimeInterval) throws -> FederationAuthority {
        guard !exists else { throw FederationError(code: "federation.pki_exists", reason: "a CA already exists in \(url.path)", category: .conflict) }
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        let authority = try FederationAuthority.create(name: name, now: now)
        try Self.writeSecret(authority.keyPEM, to: caKeyURL)
        try authority.certificate.serializeAsPEM().pemString.write(to: caURL, atomically: true, encoding: .utf8)
        try save(State())
        _ = try publishCRL(now: now, validity: crlValidity)
        return authority
    }

    public func authority() throws -> FederationAuthority {
        guard exists else { throw FederationError(code: "federation.pki_missing", reason: "no CA in \(url.path); run `accord pki init` first", category: .notFound) }
        return try FederationAuthority(certificatePEM: String(contentsOf: caURL, encoding: .utf8), keyPEM: String(contentsOf: caKeyURL, encoding: .utf8))
    }

    public func state() throws -> State {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(State.self, from: Data(contentsOf: stateURL))
    }

    func save(_ state: State) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(state).write(to: stateURL, options: .atomic)
    }

    /// Issues a certificate with a new key and writes both.
    @discardableResult
    public func issue(role: CertificateRole, participant: ParticipantID, dnsNames: [String], ipAddresses: [String], now: Date, validityDays: Int) throws -> Certificate {
        let authority = try authority()
        let key = P256.Signing.PrivateKey()
        let certificate = try authority.issue(
            role: role, participant: participant, publicKey: key.publicKey, dnsNames: dnsNames, ipAddresses: ipAddresses, now: now, validityDays: validityDays
        )
        try Self.writeSecret(key.pemRepresentation, to: keyURL(participant, role))
        try certificate.serializeAsPEM().pemString.write(to: certificateURL(participant, role), atomically: true, encoding: .utf8)
        var state = try state()
        state.issued.append(.init(serial: Self.canonicalSerial(bytes: Array(certificate.serialNumber.bytes)), participant: participant.rawValue, role: role.rawValue, notAfter: certificate.notValidAfter))
        try save(state)
        return certificate
    }

    /// Records a revocation. It takes effect with the next `publishCRL`.
    /// `serial` as `accord pki list` prints it (`0A:1B:…`) or as openssl does (`0A1B…`, any case).
    public func revoke(serial: String, now: Date) throws {
        var state = try state()
        guard let wanted = Self.canonicalSerial(serial) else {
            throw FederationError(code: "federation.invalid_serial", reason: "'\(serial.prefix(80))' is not a serial number: give hex digits, with or without colons", category: .invalidInput)
        }
        guard let issued = state.issued.first(where: { Self.canonicalSerial($0.serial) == wanted }) else {
            throw FederationError(code: "federation.unknown_certificate", reason: "this CA issued no certificate with serial \(wanted)", category: .notFound)
        }
        guard !state.revoked.contains(where: { Self.canonicalSerial($0.serial) == wanted }) else { return }
        state.revoked.append(.init(serial: issued.serial, revokedAt: now))
        try save(state)
    }

    /// Canonical form of a serial: upper-case hex bytes, two digits each, colon-separated,
    /// without leading zero bytes (`00:8F:…` and `8f…` are the same serial).
    public static func canonicalSerial(_ text: String) -> String? {
        var hex = text.trimmingCharacters(in: .whitespaces)
        if hex.lowercased().hasPrefix("serial=") { hex.removeFirst(7) }
        if hex.lowercased().hasPrefix("0x") { hex.removeFirst(2) }
        var bytes: [UInt8] = []
        if hex.contains(":") {
            for part in hex.split(separator: ":", omittingEmptySubsequences: false) {
                guard (1...2).contains(part.count), let byte = UInt8(part, radix: 16) else { return nil }
                bytes.append(byte)
            }
        } else {
            guard !hex.isEmpty, hex.allSatisfy(\.isHexDigit) else { return nil }
            if hex.count % 2 == 1 { hex = "0" + hex }
            var index = hex.startIndex
            while index < hex.endIndex {
                let next = hex.index(index, offsetBy: 2)
                bytes.append(UInt8(hex[index..<next], radix: 16)!)
                index = next
            }
        }
        return canonicalSerial(bytes: bytes)
    }

    public static func canonicalSerial(bytes: [UInt8]) -> String {
        var trimmed = ArraySlice(bytes)
        while trimmed.count > 1, trimmed.first == 0 { trimmed = trimmed.dropFirst() }
        return trimmed.map { String(format: "%02X", $0) }.joined(separator: ":")
    }

    /// Signs and writes the next CRL.
    public func publishCRL(now: Date, validity: TimeInterval) throws -> RevocationList {
        let authority = try authority()
        var state = try state()
        let entries = try state.revoked.map { entry -> RevocationList.Entry in
            guard let serial = Self.serial(hex: entry.serial) else { throw FederationError.init(code: "federation.pki_invalid", reason: "bad serial \(entry.serial) in the CA state") }
            return .init(serial: serial, revokedAt: entry.revokedAt)
        }
        let list = try authority.revocationList(number: state.nextCRLNumber, revoked: entries, now: now, validity: validity)
        state.nextCRLNumber += 1
        try save(state)
        try list.pemString.write(to: crlURL, atomically: true, encoding: .utf8)
        return list
    }

    /// A serial as stored (canonical or swift-certificates' unpadded description) back to bytes.
    static func serial(hex: String) -> Certificate.SerialNumber? {
        guard let canonical = canonicalSerial(hex) else { return nil }
        return Certificate.SerialNumber(bytes: canonical.split(separator: ":").map { UInt8($0, radix: 16)! })
    }

    static func writeSecret(_ text: String, to url: URL) throws {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600])
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }
}
