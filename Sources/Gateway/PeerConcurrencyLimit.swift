public import Exchange
import Foundation
import Synchronization

/// Bounds how many of one participant's messages are parsed and verified at once, so that one
/// partner sending costly input cannot take every core from the others (or from `/health`).
/// Further requests of that partner wait in a bounded queue; past it they are refused with
/// `federation.busy` (503), and the partner retries later.
public final class PeerConcurrencyLimit: Sendable {
    public let limit: Int
    public let queueLimit: Int
    private struct Slot {
        var active = 0
        var waiting: [CheckedContinuation<Void, Never>] = []
    }
    private let slots = Mutex<[ParticipantID: Slot]>([:])

    public init(limit: Int = max(1, ProcessInfo.processInfo.activeProcessorCount / 2), queueLimit: Int = 256) {
        self.limit = max(1, limit)
        self.queueLimit = queueLimit
    }

    public func run<T: Sendable>(_ peer: ParticipantID, _ body: () async throws -> T) async throws -> T {
        try await acquire(peer)
        defer { release(peer) }
        return try await body()
    }

    private enum Admission { case go, wait, refuse }

    private func acquire(_ peer: ParticipantID) async throws {
        let admission: Admission = slots.withLock { slots in
            var slot = slots[peer, default: Slot()]
            defer { slots[peer] = slot }
            if slot.active < limit { slot.active += 1; return .go }
            return slot.waiting.count < queueLimit ? .wait : .refuse
        }
        switch admission {
        case .go: return
        case .refuse: throw GatewayError(code: "federation.busy", reason: "too many messages from \(peer) are being checked; try again shortly", category: .unavailable)
        case .wait:
            await withCheckedContinuation { continuation in
                let started: Bool = slots.withLock { slots in
                    var slot = slots[peer, default: Slot()]
                    defer { slots[peer] = slot }
                    // A permit may have been released between the two locks.
                    if slot.active < limit { slot.active += 1; return true }
                    slot.waiting.append(continuation)
                    return false
                }
                if started { continuation.resume() }
            }
        }
    }

    private func release(_ peer: ParticipantID) {
        let next: CheckedContinuation<Void, Never>? = slots.withLock { slots in
            guard var slot = slots[peer] else { return nil }
            defer { slots[peer] = slot.active == 0 && slot.waiting.isEmpty ? nil : slot }
            if !slot.waiting.isEmpty { return slot.waiting.removeFirst() }  // the permit passes on
            slot.active -= 1
            return nil
        }
        next?.resume()
    }
}
