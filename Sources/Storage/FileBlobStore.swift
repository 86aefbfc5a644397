public import Casework
import Crypto
import Foundation

/// Document bytes in files, sealed with AES-GCM under the data key of the person they are about.
/// A blob's file name is a blind index of (owner, SHA-256 of the plaintext), so names reveal
/// nothing and the same document stored twice for one person is kept once. A blob is written to
/// a temporary file, flushed, then renamed into place: complete or absent. Reading opens and
/// checks it against its digest.
public struct FileBlobStore: BlobStore {
    public let root: URL
    let store: SQLStore
    let cipher: FieldCipher

    public init(root: URL, store: SQLStore, cipher: FieldCipher) {
        self.root = root
        self.store = store
        self.cipher = cipher
    }

    public func put(_ bytes: [UInt8], owner: Person.ID) async throws -> ContentDigest {
        let digest = Self.digest(of: bytes)
        guard let key = try await cipher.dataKey(for: owner, in: store.database) else { throw CaseworkError.personErased(owner.rawValue) }
        let target = path(for: digest, owner: owner)
        let manager = FileManager.default
        if manager.fileExists(atPath: target.path) { return digest }
        let sealed = Array(try AES.GCM.seal(bytes, using: key, authenticating: Array("blob:\(digest.hex)".utf8)).combined!)
        do {
            try manager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            let temporary = root.appendingPathComponent("tmp", isDirectory: true)
            try manager.createDirectory(at: temporary, withIntermediateDirectories: true)
            let partial = temporary.appendingPathComponent("\(UUID().uuidString).part")
            guard manager.createFile(atPath: partial.path, contents: nil) else {
                throw StorageError.blobIO("cannot create \(partial.path)")
            }
            let handle = try FileHandle(forWritingTo: partial)
            do {
                try handle.write(contentsOf: sealed)
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

    public func get(_ digest: ContentDigest, owner: Person.ID) async throws -> [UInt8]? {
        let target = path(for: digest, owner: owner)
        guard FileManager.default.fileExists(atPath: target.path) else { return nil }
        guard let key = try await cipher.dataKey(for: owner, in: store.database) else { throw CaseworkError.personErased(owner.rawValue) }
        let sealed: Data
        do {
            sealed = try Data(contentsOf: target)
        } catch {
            throw StorageError.blobIO(error.localizedDescription)
        }
        guard let box = try? AES.GCM.SealedBox(combined: sealed),
              let plaintext = try? AES.GCM.open(box, using: key, authenticating: Array("blob:\(digest.hex)".utf8)),
              Self.digest(of: Array(plaintext)) == digest else {
            throw StorageError.blobCorrupt(digest.hex)
        }
        return Array(plaintext)
    }

    func path(for digest: ContentDigest, owner: Person.ID) -> URL {
        let name = cipher.blindIndex("blob", "\(owner):\(digest.hex)")
        return root.appendingPathComponent("sealed", isDirectory: true)
            .appendingPathComponent(String(name.prefix(2)), isDirectory: true)
            .appendingPathComponent(name)
    }

    static func digest(of bytes: [UInt8]) -> ContentDigest {
        ContentDigest(hex: SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined())!
    }
}
