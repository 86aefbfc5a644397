public import Foundation

/// The source of "now". Injected everywhere a decision depends on time (history, deadlines,
/// certificate checks) so tests run at fixed dates. Named `WallClock` so it does not shadow the
/// standard library's `Clock` protocol.
public protocol WallClock: Sendable {
    var now: Date { get }
}

public struct SystemWallClock: WallClock {
    public init() {}
    public var now: Date { Date() }
}

/// A clock that only moves when told to; for tests and reproducible demos.
public final class ManualWallClock: WallClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    public init(_ start: Date) {
        self.current = start
    }

    public var now: Date {
        lock.withLock { current }
    }

    public func advance(by interval: TimeInterval) {
        lock.withLock { current = current.addingTimeInterval(interval) }
    }

    public func set(_ date: Date) {
        lock.withLock { current = date }
    }
}

/// The system's time moved by an adjustable offset: real time passes, and a test can jump ahead
/// (a departure that is days away) without freezing everything else.
public final class OffsetWallClock: WallClock, @unchecked Sendable {
    private let lock = NSLock()
    private var offset: TimeInterval = 0

    public init() {}

    public var now: Date { lock.withLock { Date().addingTimeInterval(offset) } }

    public func advance(by interval: TimeInterval) {
        lock.withLock { offset += interval }
    }
}

extension Date {
    /// Milliseconds since 1970-01-01T00:00:00Z, the resolution Accord stores times at.
    public var millisecondsSince1970: Int64 {
        Int64((timeIntervalSince1970 * 1000).rounded())
    }

    public init(millisecondsSince1970 milliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    /// This instant at stored resolution: survives a round trip through any database unchanged.
    public var truncatedToMilliseconds: Date {
        Date(millisecondsSince1970: millisecondsSince1970)
    }
}
