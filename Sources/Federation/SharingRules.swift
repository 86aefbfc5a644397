public import Exchange

/// Data-sharing rules the gateway applies to every message before it is logged and queued. A
/// blocked message is refused with `federation.sharing_blocked` and the reason; nothing of it
/// is forwarded.
public enum SharingRules {
    /// - A person under international protection (asylum applicant, refugee, subsidiary
    ///   protection) is never disclosed to any state the message ties them to: their
    ///   nationality, their country of birth, or the issuer of any identity document it carries
    ///   (a refugee's passport names the state they fled even when the nationality is omitted
    ///   or `XXA`).
    /// - Person fields the agreement withholds are never disclosed.
    public static func check(_ message: CaseMessage, agreement: Agreement?) throws {
        let recipientCountry = message.envelope.recipient.country.rawValue
        for person in persons(in: message.body) {
            if person.isProtected, person.linkedCountries.contains(recipientCountry) {
                throw FederationError.sharingBlocked(
                    "message \(message.envelope.messageID) concerns a person under international protection (\(person.protectionStatus ?? "")); it is never sent to a state the person is tied to by nationality, birth or a document (\(recipientCountry))"
                )
            }
            for field in agreement?.withheldPersonFields ?? [] where carries(person, field: field) {
                throw FederationError.sharingBlocked("agreement \(agreement?.id ?? "") withholds the person field '\(field)' from \(message.envelope.recipient)")
            }
        }
    }

    static func persons(in body: MessageBody) -> [PersonRecord] {
        switch body {
        case .readmissionApplication(let application): [application.person]
        case .readmissionRevision(let revision): [revision.application.person]
        default: []
        }
    }

    static func carries(_ person: PersonRecord, field: String) -> Bool {
        switch field {
        case "dateOfBirth": person.dateOfBirth != nil
        case "placeOfBirth": person.placeOfBirth != nil
        case "countryOfBirth": person.countryOfBirth != nil
        case "nationality": person.nationality != nil
        case "documents": !(person.documents ?? []).isEmpty
        default: false
        }
    }
}
