public import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads everything a child process writes to a pipe on a thread of its own, with plain POSIX
/// reads that retry when a signal interrupts them. Foundation's `availableData` and
/// `readDataToEndOfFile` trap on EINTR, which the SIGCHLD of any other child process can cause.
public final class PipeReader: @unchecked Sendable {
    private let lock = NSLock()
    private var collected = Data()
    private var ended = false
    private let done = DispatchSemaphore(value: 0)

    public init(_ pipe: Pipe) {
        let descriptor = pipe.fileHandleForReading.fileDescriptor
        Thread.detachNewThread { [self] in
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count > 0 {
                    lock.withLock { collected.append(contentsOf: buffer[0..<count]) }
                } else if count < 0 && errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            lock.withLock { ended = true }
            done.signal()
        }
    }

    /// What has arrived so far.
    public var text: String { lock.withLock { String(decoding: collected, as: UTF8.self) } }

    public var isAtEnd: Bool { lock.withLock { ended } }

    /// Blocks until the writer closes its end (the process exited), then returns everything.
    public func readToEnd() -> Data {
        done.wait()
        done.signal()
        return lock.withLock { collected }
    }
}
