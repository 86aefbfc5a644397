import Foundation

/// What uploads are accepted. Part of the node configuration.
public struct DocumentPolicy: Sendable, Equatable {
    /// Largest accepted document, in bytes.
    public var maximumBytes: Int
    /// Accepted media types, lowercase, without parameters.
    public var allowedMediaTypes: [String]

    public static let defaultMediaTypes = ["application/pdf", "image/jpeg", "image/png", "image/tiff"]

    public init(maximumBytes: Int = 25 * 1024 * 1024, allowedMediaTypes: [String] = DocumentPolicy.defaultMediaTypes) {
        self.maximumBytes = maximumBytes
        self.allowedMediaTypes = allowedMediaTypes.map { DocumentPolicy.normalise($0) }
    }

    /// `Image/JPEG; charset=x` → `image/jpeg`.
    public static func normalise(_ mediaType: String) -> String {
        String(mediaType.split(separator: ";", maxSplits: 1).first ?? "")
            .trimmingCharacters(in: .whitespaces)
            .lowercased()
    }

    /// Checks size, media type and that the bytes really are of that type (by their signature),
    /// so a script renamed to .pdf is refused. Returns the normalised media type.
    public func check(mediaType declared: String, bytes: [UInt8]) throws(CaseworkError) -> String {
        let mediaType = DocumentPolicy.normalise(declared)
        guard !bytes.isEmpty else { throw .emptyDocument() }
        guard bytes.count <= maximumBytes else { throw .documentTooLarge(limit: maximumBytes) }
        guard allowedMediaTypes.contains(mediaType) else {
            throw .mediaTypeNotAllowed(mediaType.isEmpty ? "(none)" : mediaType, allowed: allowedMediaTypes)
        }
        if let signatures = DocumentPolicy.signatures[mediaType],
           !signatures.contains(where: { bytes.starts(with: $0) }) {
            throw .contentMismatch(mediaType)
        }
        return mediaType
    }

    /// Leading bytes ("magic numbers") of the formats we recognise.
    static let signatures: [String: [[UInt8]]] = [
        "application/pdf": [Array("%PDF-".utf8)],
        "image/jpeg": [[0xFF, 0xD8, 0xFF]],
        "image/png": [[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]],
        "image/tiff": [[0x49, 0x49, 0x2A, 0x00], [0x4D, 0x4D, 0x00, 0x2A]],
    ]
}
