public import Exchange

/// How a node runs its readmission desk. Every field has a default.
public struct ReadmissionConfiguration: Sendable {
    /// A decision needs a second officer's approval before it is signed and sent.
    public var fourEyes: Bool
    /// The encoding of the messages this node signs.
    public var encoding: MessageCodec.Encoding
    /// How long a message stays valid for delivery.
    public var messageValidityDays: Int

    public init(fourEyes: Bool = true, encoding: MessageCodec.Encoding = .xml, messageValidityDays: Int = 30) {
        self.fourEyes = fourEyes
        self.encoding = encoding
        self.messageValidityDays = messageValidityDays
    }
}

/// The agreement profiles in force, looked up by id or by partner.
public struct AgreementProfiles: Sendable {
    public let all: [AgreementProfile]

    public init(_ profiles: [AgreementProfile]) {
        self.all = profiles
    }

    public func profile(_ id: String) -> AgreementProfile? {
        all.first { $0.id == id }
    }

    /// The agreements `participant` is a party to.
    public func agreements(of participant: ParticipantID) -> [AgreementProfile] {
        all.filter { $0.party(participant) != nil }
    }
}
