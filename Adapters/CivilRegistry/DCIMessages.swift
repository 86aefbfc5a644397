import Foundation

/// The wire shapes of the DCI civil-registry search API as OpenCRVS serves it
/// (`/registry/sync/search`): a signed-envelope header, search requests by identifier or by
/// predicates, paginated answers. Only registered records are returned.
public enum DCI {
    public static let birth = "ocrvs:registry_type:birth"

    public struct Header: Codable, Sendable, Equatable {
        public var version: String
        public var message_id: String
        public var message_ts: String
        public var action: String
        public var sender_id: String
        public var sender_uri: String?
        public var receiver_id: String?
        public var total_count: Int?
        public var completed_count: Int?
        public var status: String?
        public var status_reason_code: String?
        public var status_reason_message: String?

        public init(version: String = "1.0.0", message_id: String, message_ts: String, action: String, sender_id: String, sender_uri: String? = nil,
                    receiver_id: String? = nil, total_count: Int? = nil, completed_count: Int? = nil, status: String? = nil,
                    status_reason_code: String? = nil, status_reason_message: String? = nil) {
            self.version = version
            self.message_id = message_id
            self.message_ts = message_ts
            self.action = action
            self.sender_id = sender_id
            self.sender_uri = sender_uri
            self.receiver_id = receiver_id
            self.total_count = total_count
            self.completed_count = completed_count
            self.status = status
            self.status_reason_code = status_reason_code
            self.status_reason_message = status_reason_message
        }
    }

    public struct IdentifierQuery: Codable, Sendable, Equatable {
        /// `BRN` (birth registration number), `NID`, …
        public var type: String
        public var value: String

        public init(type: String, value: String) {
            self.type = type
            self.value = value
        }
    }

    public struct Predicate: Codable, Sendable, Equatable {
        public var attribute_name: String
        /// `eq` only here.
        public var `operator`: String
        public var attribute_value: String

        public init(attribute_name: String, operator: String = "eq", attribute_value: String) {
            self.attribute_name = attribute_name
            self.operator = `operator`
            self.attribute_value = attribute_value
        }
    }

    public struct Pagination: Codable, Sendable, Equatable {
        public var page_size: Int
        public var page_number: Int
        public var total_count: Int?

        public init(page_size: Int, page_number: Int, total_count: Int? = nil) {
            self.page_size = page_size
            self.page_number = page_number
            self.total_count = total_count
        }
    }

    public struct Consent: Codable, Sendable, Equatable {
        public var ts: String
        public var purpose: String

        public init(ts: String, purpose: String) {
            self.ts = ts
            self.purpose = purpose
        }
    }

    public struct SearchCriteria: Codable, Sendable, Equatable {
        public var version: String
        public var reg_type: String
        /// `idtype-value` (with `query`) or `predicate` (with `predicates`).
        public var query_type: String
        public var query: IdentifierQuery?
        public var predicates: [Predicate]?
        public var pagination: Pagination
        public var consent: Consent?
        public var locale: String?

        public init(version: String = "1.0.0", reg_type: String = DCI.birth, query_type: String, query: IdentifierQuery? = nil, predicates: [Predicate]? = nil,
                    pagination: Pagination, consent: Consent? = nil, locale: String? = "eng") {
            self.version = version
            self.reg_type = reg_type
            self.query_type = query_type
            self.query = query
            self.predicates = predicates
            self.pagination = pagination
            self.consent = consent
            self.locale = locale
        }
    }

    public struct SearchRequest: Codable, Sendable, Equatable {
        public var reference_id: String
        public var timestamp: String
        public var search_criteria: SearchCriteria

        public init(reference_id: String, timestamp: String, search_criteria: SearchCriteria) {
            self.reference_id = reference_id
            self.timestamp = timestamp
            self.search_criteria = search_criteria
        }
    }

    public struct SearchMessage: Codable, Sendable, Equatable {
        public var transaction_id: String
        public var search_request: [SearchRequest]

        public init(transaction_id: String, search_request: [SearchRequest]) {
            self.transaction_id = transaction_id
            self.search_request = search_request
        }
    }

    public struct Envelope<Message: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
        public var signature: String?
        public var header: Header
        public var message: Message

        public init(signature: String? = nil, header: Header, message: Message) {
            self.signature = signature
            self.header = header
            self.message = message
        }
    }

    /// One registered birth.
    public struct BirthRecord: Codable, Sendable, Equatable {
        public struct Name: Codable, Sendable, Equatable {
            public var given_name: String?
            public var surname: String
            /// The name in another script, with its ISO 15924 code.
            public var script: String?

            public init(given_name: String?, surname: String, script: String? = nil) {
                self.given_name = given_name
                self.surname = surname
                self.script = script
            }
        }

        public var birth_registration_number: String
        public var names: [Name]
        public var birth_date: String
        public var place_of_birth: String?
        public var sex: String?
        public var registration_status: String
        public var deceased: Bool?

        public init(birth_registration_number: String, names: [Name], birth_date: String, place_of_birth: String?, sex: String?, registration_status: String = "REGISTERED", deceased: Bool? = nil) {
            self.birth_registration_number = birth_registration_number
            self.names = names
            self.birth_date = birth_date
            self.place_of_birth = place_of_birth
            self.sex = sex
            self.registration_status = registration_status
            self.deceased = deceased
        }
    }

    public struct RecordData: Codable, Sendable, Equatable {
        public var version: String
        public var reg_type: String
        public var reg_record_type: String
        public var reg_records: [BirthRecord]

        public init(version: String = "1.0.0", reg_type: String = DCI.birth, reg_record_type: String = "person", reg_records: [BirthRecord]) {
            self.version = version
            self.reg_type = reg_type
            self.reg_record_type = reg_record_type
            self.reg_records = reg_records
        }
    }

    public struct SearchResponse: Codable, Sendable, Equatable {
        public var reference_id: String
        public var timestamp: String
        /// `succ` or `rjct`.
        public var status: String
        public var status_reason_code: String?
        public var status_reason_message: String?
        public var data: RecordData?
        public var pagination: Pagination?

        public init(reference_id: String, timestamp: String, status: String, status_reason_code: String? = nil, status_reason_message: String? = nil,
                    data: RecordData? = nil, pagination: Pagination? = nil) {
            self.reference_id = reference_id
            self.timestamp = timestamp
            self.status = status
            self.status_reason_code = status_reason_code
            self.status_reason_message = status_reason_message
            self.data = data
            self.pagination = pagination
        }
    }

    public struct SearchResponseMessage: Codable, Sendable, Equatable {
        public var transaction_id: String
        public var correlation_id: String?
        public var search_response: [SearchResponse]

        public init(transaction_id: String, correlation_id: String? = nil, search_response: [SearchResponse]) {
            self.transaction_id = transaction_id
            self.correlation_id = correlation_id
            self.search_response = search_response
        }
    }

    /// An error body outside the envelope (quota, authentication).
    public struct ErrorBody: Codable, Sendable, Equatable {
        public var error: String
        public var error_description: String?

        public init(error: String, error_description: String? = nil) {
            self.error = error
            self.error_description = error_description
        }
    }

    public static let quotaExceeded = "DAILY_QUOTA_EXCEEDED"

    public static func timestamp(_ date: Date = Date()) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
