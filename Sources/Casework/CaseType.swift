/// The kinds of case a national immigration authority handles.
public enum CaseType: String, Sendable, Codable, CaseIterable {
    case visa
    case asylum
    case residencePermit = "residence_permit"
    case `return` = "return"
    case appeal
    case readmission

    /// The three-letter prefix of case numbers of this type.
    public var numberPrefix: String {
        switch self {
        case .visa: "VIS"
        case .asylum: "ASY"
        case .residencePermit: "RES"
        case .return: "RET"
        case .appeal: "APL"
        case .readmission: "RDM"
        }
    }

    public init?(numberPrefix: String) {
        guard let match = CaseType.allCases.first(where: { $0.numberPrefix == numberPrefix }) else { return nil }
        self = match
    }

    public var label: String {
        switch self {
        case .visa: "Visa"
        case .asylum: "Asylum"
        case .residencePermit: "Residence permit"
        case .return: "Deportation / return"
        case .appeal: "Appeal"
        case .readmission: "Readmission"
        }
    }
}
