public import Exchange

/// Data-sharing rules the gateway applies to every message before it is logged and queued. A
/// blocked message is refused with `federation.sharing_blocked` and the reason; nothing of it
/// is forwarded.
public enum SharingRules {
    /// - A person under international protection (asylum applicant, refugee, subsidiary
    ///   protection) is never disclosed to the country of their nationality.
    /// - Person fields the agreement withholds are never disclosed.
    public static func check(_ message: CaseMessage, agreement: Agreement?) throws {
        for person in persons(in: message.body) {
            if person.isProtected, let nationality = person.nationality, nationality == message.envelope.recipient.country.rawValue {
                throw FederationError.sharingBlocked(
                    "message \(message.envelope.messageID) concerns a person under international protection (\(person.protectionStatus ?? "")); it is never sent to their country of nationality (\(nationality))"
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
        case "nationality": person.nationality != nil
        case "documents": !(person.documents ?? []).isEmpty
        default: false
        }
    }
}
