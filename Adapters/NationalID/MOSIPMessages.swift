import Foundation

/// The wire shapes of MOSIP's ID authentication API (`mosip.identity.auth`, `mosip.identity.kyc`),
/// as far as a demographic authentication and an eKYC need them. The request block travels in
/// clear here; MOSIP encrypts it to the ID system with a session key (see README.md).
public enum MOSIP {
    public static let authID = "mosip.identity.auth"
    public static let kycID = "mosip.identity.kyc"

    public struct LocalizedValue: Codable, Sendable, Equatable {
        public var language: String
        public var value: String

        public init(language: String, value: String) {
            self.language = language
            self.value = value
        }
    }

    public struct Demographics: Codable, Sendable, Equatable {
        public var name: [LocalizedValue]?
        /// `YYYY/MM/DD`, MOSIP's date format.
        public var dob: String?
        public var gender: [LocalizedValue]?

        public init(name: [LocalizedValue]? = nil, dob: String? = nil, gender: [LocalizedValue]? = nil) {
            self.name = name
            self.dob = dob
            self.gender = gender
        }
    }

    public struct RequestedAuth: Codable, Sendable, Equatable {
        public var demo: Bool
        public var otp: Bool
        public var bio: Bool

        public init(demo: Bool = true, otp: Bool = false, bio: Bool = false) {
            self.demo = demo
            self.otp = otp
            self.bio = bio
        }
    }

    public struct AuthRequest: Codable, Sendable, Equatable {
        public struct Block: Codable, Sendable, Equatable {
            public var timestamp: String
            public var demographics: Demographics

            public init(timestamp: String, demographics: Demographics) {
                self.timestamp = timestamp
                self.demographics = demographics
            }
        }

        public var id: String
        public var version: String
        public var requestTime: String
        public var transactionID: String
        public var requestedAuth: RequestedAuth
        public var consentObtained: Bool
        public var individualId: String
        /// `UIN` or `VID`.
        public var individualIdType: String
        public var request: Block

        public init(id: String = MOSIP.authID, version: String = "1.0", requestTime: String, transactionID: String, requestedAuth: RequestedAuth = RequestedAuth(),
                    consentObtained: Bool, individualId: String, individualIdType: String, request: Block) {
            self.id = id
            self.version = version
            self.requestTime = requestTime
            self.transactionID = transactionID
            self.requestedAuth = requestedAuth
            self.consentObtained = consentObtained
            self.individualId = individualId
            self.individualIdType = individualIdType
            self.request = request
        }
    }

    public struct ErrorEntry: Codable, Sendable, Equatable {
        public var errorCode: String
        public var errorMessage: String
        public var actionMessage: String?

        public init(errorCode: String, errorMessage: String, actionMessage: String? = nil) {
            self.errorCode = errorCode
            self.errorMessage = errorMessage
            self.actionMessage = actionMessage
        }
    }

    public struct AuthResponse: Codable, Sendable, Equatable {
        public struct Body: Codable, Sendable, Equatable {
            public var authStatus: Bool
            public var authToken: String?
            /// eKYC only: the identity attributes released (those the partner policy allows).
            public var identity: Identity?

            public init(authStatus: Bool, authToken: String? = nil, identity: Identity? = nil) {
                self.authStatus = authStatus
                self.authToken = authToken
                self.identity = identity
            }
        }

        public var id: String
        public var version: String
        public var transactionID: String
        public var responseTime: String
        public var response: Body?
        public var errors: [ErrorEntry]?

        public init(id: String, version: String = "1.0", transactionID: String, responseTime: String, response: Body?, errors: [ErrorEntry]?) {
            self.id = id
            self.version = version
            self.transactionID = transactionID
            self.responseTime = responseTime
            self.response = response
            self.errors = errors
        }
    }

    /// What an eKYC releases.
    public struct Identity: Codable, Sendable, Equatable {
        public var fullName: [LocalizedValue]
        public var dateOfBirth: String?
        public var gender: [LocalizedValue]?
        public var placeOfBirth: String?

        public init(fullName: [LocalizedValue], dateOfBirth: String? = nil, gender: [LocalizedValue]? = nil, placeOfBirth: String? = nil) {
            self.fullName = fullName
            self.dateOfBirth = dateOfBirth
            self.gender = gender
            self.placeOfBirth = placeOfBirth
        }
    }

    /// The error codes MOSIP's ID authentication answers with that the adapter tells apart.
    public enum Code {
        public static let notInDatabase = "IDA-MLC-018"
        public static let deactivated = "IDA-MLC-022"
        public static let vidExpired = "IDA-MLC-023"
        public static let consentMissing = "IDA-MLC-012"
        public static let authTypeLocked = "IDA-MLC-019"
        public static let demographicMismatch = "IDA-DEA-001"
        public static let invalidInput = "IDA-MLC-006"
    }

    /// MOSIP's date format from an ISO one (`1987-04-12` → `1987/04/12`).
    public static func date(_ iso: String) -> String { iso.replacingOccurrences(of: "-", with: "/") }

    public static func timestamp(_ date: Date = Date()) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
