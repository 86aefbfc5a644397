public import Crypto
public import Foundation
public import SwiftASN1
public import X509

/// An X.509 v2 certificate revocation list (RFC 5280 §5), parsed and produced without help from
/// swift-certificates (which has none). Only what a federation CA needs: issuer, this/next update,
/// the CRL number, revoked serials. Parsing is strict: DER only, v2 only, a CRL number that must be
/// present and non-critical, and no unknown critical extension anywhere.
public struct RevocationList: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public let serial: Certificate.SerialNumber
        public let revokedAt: Date
        public init(serial: Certificate.SerialNumber, revokedAt: Date) {
            self.serial = serial
            self.revokedAt = revokedAt
        }
    }

    public let issuer: DistinguishedName
    public let thisUpdate: Date
    public let nextUpdate: Date?
    public let number: Int
    public let entries: [Entry]
    public let signatureAlgorithm: Certificate.SignatureAlgorithm
    /// The DER of `tbsCertList`, which the signature covers.
    public let tbsBytes: [UInt8]
    /// The signature value (DER ECDSA-Sig-Value for ECDSA).
    public let signature: [UInt8]
    public let derBytes: [UInt8]

    static let crlNumberOID: ASN1ObjectIdentifier = [2, 5, 29, 20]
    static let authorityKeyIdentifierOID: ASN1ObjectIdentifier = [2, 5, 29, 35]
    static let reasonCodeOID: ASN1ObjectIdentifier = [2, 5, 29, 21]

    public func isRevoked(_ serial: Certificate.SerialNumber) -> Bool {
        entries.contains { $0.serial == serial }
    }

    /// Whether `issuer` (a CA certificate) signed this list.
    public func isSigned(by issuerCertificate: Certificate) -> Bool {
        issuerCertificate.publicKey.isValidSignature(signature, for: tbsBytes, signatureAlgorithm: signatureAlgorithm)
    }

    public var pemString: String {
        (try? PEMDocument(type: "X509 CRL", derBytes: derBytes).pemString) ?? ""
    }
}

// MARK: - Parsing

extension RevocationList {
    public init(pemEncoded text: String) throws {
        let document: PEMDocument
        do { document = try PEMDocument(pemString: text) } catch { throw FederationError.crlInvalid("not PEM: \(error)") }
        guard document.discriminator == "X509 CRL" else { throw FederationError.crlInvalid("PEM type is \(document.discriminator), not X509 CRL") }
        try self.init(derEncoded: document.derBytes)
    }

    public init(derEncoded der: [UInt8]) throws {
        do {
            self = try Self.parse(der)
        } catch let error as FederationError {
            throw error
        } catch {
            throw FederationError.crlInvalid("\(error)")
        }
    }

    private static func parse(_ der: [UInt8]) throws -> RevocationList {
        let root = try DER.parse(der)
        return try DER.sequence(root, identifier: .sequence) { nodes -> RevocationList in
            guard let tbsNode = nodes.next() else { throw FederationError.crlInvalid("empty") }
            let outerAlgorithm = try parseAlgorithm(nodes.next())
            guard let signatureNode = nodes.next() else { throw FederationError.crlInvalid("no signature") }
            let signatureBits = try ASN1BitString(derEncoded: signatureNode)
            guard nodes.next() == nil else { throw FederationError.crlInvalid("trailing data") }
            guard signatureBits.paddingBits == 0 else { throw FederationError.crlInvalid("signature has padding bits") }
            var tbsSerializer = DER.Serializer()
            tbsSerializer.serialize(tbsNode)
            let tbsBytes = tbsSerializer.serializedBytes

            return try DER.sequence(tbsNode, identifier: .sequence) { fields -> RevocationList in
                let version = try Int(derEncoded: &fields)
                guard version == 1 else { throw FederationError.crlInvalid("version must be v2") }
                let innerAlgorithm = try parseAlgorithm(fields.next())
                guard innerAlgorithm == outerAlgorithm else { throw FederationError.crlInvalid("signature algorithms differ inside and outside") }
                let issuer = try DistinguishedName(derEncoded: &fields)
                let thisUpdate = try parseTime(fields.next())
                var nextUpdate: Date?
                var entries: [Entry] = []
                var number: Int?
                var pending = fields.next()
                if let node = pending, node.identifier == GeneralizedTime.defaultIdentifier || node.identifier == UTCTime.defaultIdentifier {
                    nextUpdate = try parseTime(node)
                    pending = fields.next()
                }
                if let node = pending, node.identifier == .sequence {
                    entries = try DER.sequence(node, identifier: .sequence) { list in
                        var parsed: [Entry] = []
                        while let entry = list.next() { parsed.append(try parseEntry(entry)) }
                        return parsed
                    }
                    pending = fields.next()
                }
                if let node = pending, node.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific) {
                    number = try parseExtensions(node)
                    pending = fields.next()
                }
                guard pending == nil else { throw FederationError.crlInvalid("unexpected field in tbsCertList") }
                guard let number else { throw FederationError.crlInvalid("the CRL number extension is missing") }
                return RevocationList(
                    issuer: issuer, thisUpdate: thisUpdate, nextUpdate: nextUpdate, number: number, entries: entries,
                    signatureAlgorithm: innerAlgorithm, tbsBytes: tbsBytes, signature: Array(signatureBits.bytes), derBytes: der
                )
            }
        }
    }

    private static func parseEntry(_ node: ASN1Node) throws -> Entry {
        try DER.sequence(node, identifier: .sequence) { fields in
            let serialBytes = try ArraySlice<UInt8>(derEncoded: &fields)
            let date = try parseTime(fields.next())
            if let extensionsNode = fields.next() {
                let extensions = try DER.sequence(of: Certificate.Extension.self, identifier: .sequence, rootNode: extensionsNode)
                if let unknown = extensions.first(where: { $0.critical && $0.oid != reasonCodeOID }) {
                    throw FederationError.crlInvalid("unknown critical entry extension \(unknown.oid)")
                }
            }
            guard fields.next() == nil else { throw FederationError.crlInvalid("unexpected field in a revoked entry") }
            return Entry(serial: Certificate.SerialNumber(bytes: serialBytes), revokedAt: date)
        }
    }

    /// Returns the CRL number; refuses a critical CRL number (RFC 5280 §5.2.3 says non-critical)
    /// and any unknown critical extension.
    private static func parseExtensions(_ node: ASN1Node) throws -> Int? {
        try DER.explicitlyTagged(node, tagNumber: 0, tagClass: .contextSpecific) { inner in
            let extensions = try DER.sequence(of: Certificate.Extension.self, identifier: .sequence, rootNode: inner)
            guard Set(extensions.map(\.oid)).count == extensions.count else { throw FederationError.crlInvalid("an extension occurs twice") }
            var number: Int?
            for item in extensions {
                switch item.oid {
                case crlNumberOID:
                    guard !item.critical else { throw FederationError.crlInvalid("the CRL number extension is marked critical") }
                    let value = try DER.parse(item.value)
                    let bytes = try ArraySlice<UInt8>(derEncoded: value)
                    guard bytes.count <= 8 else { throw FederationError.crlInvalid("CRL number too large") }
                    number = bytes.reduce(0) { $0 << 8 | Int($1) }
                case authorityKeyIdentifierOID:
                    guard !item.critical else { throw FederationError.crlInvalid("authority key identifier marked critical") }
                default:
                    if item.critical { throw FederationError.crlInvalid("unknown critical extension \(item.oid)") }
                }
            }
            return number
        }
    }

    static func parseAlgorithm(_ node: ASN1Node?) throws -> Certificate.SignatureAlgorithm {
        guard let node else { throw FederationError.crlInvalid("missing algorithm identifier") }
        return try DER.sequence(node, identifier: .sequence) { fields in
            let oid = try ASN1ObjectIdentifier(derEncoded: &fields)
            // ECDSA identifiers carry no parameters; RSA ones an explicit NULL.
            if let parameters = fields.next(), parameters.identifier != .null { throw FederationError.crlInvalid("unexpected algorithm parameters") }
            guard let algorithm = signatureAlgorithms[oid] else { throw FederationError.crlInvalid("unsupported signature algorithm \(oid)") }
            return algorithm
        }
    }

    static let signatureAlgorithms: [ASN1ObjectIdentifier: Certificate.SignatureAlgorithm] = [
        [1, 2, 840, 10045, 4, 3, 2]: .ecdsaWithSHA256,
        [1, 2, 840, 10045, 4, 3, 3]: .ecdsaWithSHA384,
        [1, 2, 840, 10045, 4, 3, 4]: .ecdsaWithSHA512,
        [1, 2, 840, 113549, 1, 1, 11]: .sha256WithRSAEncryption,
        [1, 2, 840, 113549, 1, 1, 12]: .sha384WithRSAEncryption,
        [1, 2, 840, 113549, 1, 1, 13]: .sha512WithRSAEncryption,
    ]

    static func parseTime(_ node: ASN1Node?) throws -> Date {
        guard let node else { throw FederationError.crlInvalid("missing time") }
        let parts: (Int, Int, Int, Int, Int, Int)
        if node.identifier == UTCTime.defaultIdentifier {
            let time = try UTCTime(derEncoded: node)
            parts = (time.year, time.month, time.day, time.hours, time.minutes, time.seconds)
        } else if node.identifier == GeneralizedTime.defaultIdentifier {
            let time = try GeneralizedTime(derEncoded: node)
            guard time.fractionalSeconds == 0 else { throw FederationError.crlInvalid("fractional seconds in a time") }
            parts = (time.year, time.month, time.day, time.hours, time.minutes, time.seconds)
        } else {
            throw FederationError.crlInvalid("a time must be UTCTime or GeneralizedTime")
        }
        var components = DateComponents()
        (components.year, components.month, components.day, components.hour, components.minute, components.second) = parts
        guard let date = utcCalendar.date(from: components) else { throw FederationError.crlInvalid("impossible date") }
        return date
    }

    static let utcCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}

// MARK: - Issuing

extension RevocationList {
    /// Builds and signs a v2 CRL with ECDSA P-256 / SHA-256.
    public static func issue(
        issuer: Certificate, key: P256.Signing.PrivateKey, number: Int, thisUpdate: Date, nextUpdate: Date, entries: [Entry]
    ) throws -> RevocationList {
        var tbs = DER.Serializer()
        try tbs.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(1)
            try serializeECDSAWithSHA256(&coder)
            try coder.serialize(issuer.subject)
            try serializeTime(thisUpdate, into: &coder)
            try serializeTime(nextUpdate, into: &coder)
            if !entries.isEmpty {
                try coder.appendConstructedNode(identifier: .sequence) { list in
                    for entry in entries {
                        try list.appendConstructedNode(identifier: .sequence) { item in
                            try item.serialize(entry.serial.bytes)
                            try serializeTime(entry.revokedAt, into: &item)
                        }
                    }
                }
            }
            try coder.serialize(explicitlyTaggedWithTagNumber: 0, tagClass: .contextSpecific) { tagged in
                try tagged.appendConstructedNode(identifier: .sequence) { list in
                    var numberValue = DER.Serializer()
                    try numberValue.serialize(number)
                    try list.serialize(Certificate.Extension(oid: crlNumberOID, critical: false, value: numberValue.serializedBytes[...]))
                    if let keyID = try issuer.extensions.subjectKeyIdentifier?.keyIdentifier {
                        var aki = DER.Serializer()
                        try aki.appendConstructedNode(identifier: .sequence) { sequence in
                            sequence.appendPrimitiveNode(identifier: ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)) { $0.append(contentsOf: keyID) }
                        }
                        try list.serialize(Certificate.Extension(oid: authorityKeyIdentifierOID, critical: false, value: aki.serializedBytes[...]))
                    }
                }
            }
        }
        let tbsBytes = tbs.serializedBytes
        let signature = Array(try key.signature(for: tbsBytes).derRepresentation)
        var whole = DER.Serializer()
        try whole.appendConstructedNode(identifier: .sequence) { coder in
            coder.serializeRawBytes(tbsBytes)
            try serializeECDSAWithSHA256(&coder)
            try coder.serialize(ASN1BitString(bytes: signature[...]))
        }
        return try RevocationList(derEncoded: whole.serializedBytes)
    }

    private static func serializeECDSAWithSHA256(_ coder: inout DER.Serializer) throws {
        try coder.appendConstructedNode(identifier: .sequence) { let oid: ASN1ObjectIdentifier = [1, 2, 840, 10045, 4, 3, 2]; try $0.serialize(oid) }
    }

    /// RFC 5280: UTCTime through 2049, GeneralizedTime from 2050.
    private static func serializeTime(_ date: Date, into coder: inout DER.Serializer) throws {
        let c = utcCalendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        if c.year! < 2050 {
            try coder.serialize(UTCTime(year: c.year!, month: c.month!, day: c.day!, hours: c.hour!, minutes: c.minute!, seconds: c.second!))
        } else {
            try coder.serialize(GeneralizedTime(year: c.year!, month: c.month!, day: c.day!, hours: c.hour!, minutes: c.minute!, seconds: c.second!, fractionalSeconds: 0.0))
        }
    }
}
