public import Casework
import Crypto
import Foundation

/// Content-addressed files: `<root>/sha256/ab/cd/abcd…`. A blob is written to a temporary file,
/// flushed to disk, then renamed into place, so it is either complete or absent.
public struct FileBlobStore: BlobStore {
    public let root: URL

    public init(root: URL) {
        self.root = root
    }

    public func put(_ bytes: [UInt8]) async throws -> ContentDigest {
        let digest = Self.digest(of: bytes)
        let target = path(for: digest)
        let manager = FileManager.default
        if manager.fileExists(atPath: target.path) { return digest }
        do {
            try manager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            let temporary = root.appendingPathComponent("tmp", isDirectory: true)
            try manager.createDirectory(at: temporary, withIntermediateDirectories: true)
            let partial = temporary.appendingPathComponent("\(digest.hex).\(UUID().uuidString).part")
            guard manager.createFile(atPath: partial.path, contents: nil) else {
                throw StorageError.blobIO("cannot create \(partial.path)")
            }
            let handle = try FileHandle(forWritingTo: partial)
            do {
                try handle.write(contentsOf: bytes)
                try handle.synchronize()
                try handle.close()
            } catch {
                try? handle.close()
                try? manager.removeItem(at: partial)
                throw error
            }
            if rename(partial.path, target.path) != 0 {
                let code = errno
                try? manager.removeItem(at: partial)
                throw StorageError.blobIO("cannot move blob into place (errno \(code))")
            }
        } catch let error as StorageError {
            throw error
        } catch {
            throw StorageError.blobIO(error.localizedDescription)
        }
        return digest
    }

    public func get(_ digest: ContentDigest) async throws -> [UInt8]? {
        let target = path(for: digest)
        guard FileManager.default.fileExists(atPath: target.path) else { return nil }
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: target))
        } catch {
            throw StorageError.blobIO(error.localizedDescription)
        }
        guard Self.digest(of: bytes) == digest else { throw StorageError.blobCorrupt(digest.hex) }
        return bytes
    }

    func path(for digest: ContentDigest) -> URL {
        let hex = digest.hex
        return root.appendingPathComponent("sha256", isDirectory: true)
            .appendingPathComponent(String(hex.prefix(2)), isDirectory: true)
            .appendingPathComponent(String(hex.dropFirst(2).prefix(2)), isDirectory: true)
            .appendingPathComponent(hex)
    }

    static func digest(of bytes: [UInt8]) -> ContentDigest {
        ContentDigest(hex: SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined())!
    }
}
