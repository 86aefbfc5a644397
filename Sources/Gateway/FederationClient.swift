public import Exchange
public import Federation
public import Foundation
public import NIOCore
import NIOHTTP1
import NIOPosix
public import NIOSSL
import Synchronization

/// Where a hub or node listens on the federation port.
public struct FederationEndpoint: Sendable, Hashable, Codable {
    public let host: String
    public let port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }
}

public struct FederationResponse: Sendable {
    public let status: Int
    public let contentType: String?
    public let body: [UInt8]
    /// The server as its certificate proved it during the handshake.
    public let peer: FederationIdentity
}

/// A minimal HTTP/1.1 client over mutual TLS for hub↔node calls. The server is verified by
/// `FederationTrust` during the handshake and must be the participant the caller meant to reach.
/// Connections are kept alive and reused (one request at a time each) for at most
/// `maximumConnectionAge`, so that a revocation reaches existing connections within that time;
/// a request that fails on a reused connection before any answer is retried once on a new one
/// (every federation request is idempotent: messages are keyed by sender and message ID).
public struct FederationClient: Sendable {
    let context: NIOSSLContext
    let trust: TrustState
    let group: any EventLoopGroup
    let pool = ConnectionPool()
    public var timeout: TimeAmount
    public var maximumConnectionAge: Duration = .seconds(30)
    public var maximumIdlePerEndpoint = 32

    public init(identity: TLSIdentity, trust: TrustState, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, timeout: TimeAmount = .seconds(30)) throws {
        self.context = try MutualTLS.clientContext(identity: identity, trust: trust)
        self.trust = trust
        self.group = group
        self.timeout = timeout
    }

    public func send(
        _ method: String, _ path: String, body: [UInt8] = [], contentType: String? = nil, headers extra: [(String, String)] = [],
        to endpoint: FederationEndpoint, expecting participant: ParticipantID?, roles: Set<CertificateRole>
    ) async throws -> FederationResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: endpoint.host)
        headers.add(name: "Content-Length", value: "\(body.count)")
        if let contentType { headers.add(name: "Content-Type", value: contentType) }
        for (name, value) in extra { headers.add(name: name, value: value) }
        let request = PooledConnection.Request(head: HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: method), uri: path, headers: headers), body: body)
        let key = ConnectionPool.Key(endpoint: endpoint, participant: participant, roles: roles.map(\.rawValue).sorted())
        while let reused = pool.take(key, maximumAge: maximumConnectionAge) {
            do {
                return try await exchange(request, on: reused, key: key)
            } catch PooledConnection.Failure.closedBeforeAnswer(_) {
                continue  // the server closed an idle connection; try the next or a new one
            }
        }
        var connection = try await connect(to: endpoint, expecting: participant, roles: roles)
        do {
            do {
                return try await exchange(request, on: connection, key: key)
            } catch PooledConnection.Failure.closedBeforeAnswer(_) where connection.seen.result.map({ if case .success = $0 { true } else { false } }) ?? false {
                // The server closed a verified connection before answering (its maximum age or
                // idle time ran out under load): once more on a new one. Federation requests are
                // idempotent (messages are unique by sender and ID).
                connection = try await connect(to: endpoint, expecting: participant, roles: roles)
                return try await exchange(request, on: connection, key: key)
            }
        } catch {
            if case .failure(let reason) = connection.seen.result { throw GatewayError.peerUnverified("the server's certificate was refused: \(reason)") }
            if let error = error as? GatewayError { throw error }
            throw GatewayError.transport("\(method) \(path) at \(endpoint.host):\(endpoint.port) failed: \(error)")
        }
    }

    /// Closes every idle kept-alive connection (on shutdown, so that servers need not wait for them).
    public func closeIdleConnections() {
        pool.closeAll()
    }

    func exchange(_ request: PooledConnection.Request, on connection: PooledConnection, key: ConnectionPool.Key) async throws -> FederationResponse {
        let answer: PooledConnection.Answer
        do {
            answer = try await withTimeout(timeout) { try await connection.send(request) }
        } catch let failure as PooledConnection.Failure {
            connection.close()
            throw failure
        } catch let error as GatewayError {
            connection.close()
            throw error
        } catch {
            connection.close()
            throw GatewayError.transport("\(request.head.method) \(request.head.uri) failed: \(error)")
        }
        guard case .success(let peer) = connection.seen.result else {
            connection.close()
            throw GatewayError.peerUnverified("the server was not verified")
        }
        if answer.keepAlive {
            pool.put(connection, key, maximumIdle: maximumIdlePerEndpoint)
        } else {
            connection.close()
        }
        return FederationResponse(status: answer.status, contentType: answer.contentType, body: answer.body, peer: peer)
    }

    func connect(to endpoint: FederationEndpoint, expecting participant: ParticipantID?, roles: Set<CertificateRole>) async throws -> PooledConnection {
        let seen = IdentityBox()
        let callback = MutualTLS.callback(trust: trust, roles: roles, purpose: .serverAuth, expected: participant, seen: seen)
        let context = self.context
        let channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(.seconds(5))
                .connect(host: endpoint.host, port: endpoint.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let handler = try NIOSSLClientHandler(context: context, serverHostname: nil, customVerificationCallback: callback, configuration: .init())
                        try channel.pipeline.syncOperations.addHandler(handler)
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw GatewayError.transport("cannot connect to \(endpoint.host):\(endpoint.port): \(error)")
        }
        return PooledConnection(channel, seen: seen)
    }
}

/// Idle keep-alive connections by endpoint, expected participant and roles.
final class ConnectionPool: Sendable {
    struct Key: Hashable {
        let endpoint: FederationEndpoint
        let participant: ParticipantID?
        let roles: [String]
    }

    private let idle = Mutex<[Key: [PooledConnection]]>([:])

    /// A live idle connection younger than `maximumAge`; older ones are closed on the way.
    func take(_ key: Key, maximumAge: Duration) -> PooledConnection? {
        var expired: [PooledConnection] = []
        let found: PooledConnection? = idle.withLock { idle in
            while var list = idle[key], let connection = list.popLast() {
                idle[key] = list
                if connection.isOpen && connection.opened.duration(to: .now) < maximumAge { return connection }
                expired.append(connection)
            }
            return nil
        }
        for connection in expired { connection.close() }
        return found
    }

    func closeAll() {
        let all = idle.withLock { idle in
            defer { idle.removeAll() }
            return idle.values.flatMap { $0 }
        }
        for connection in all { connection.close() }
    }

    func put(_ connection: PooledConnection, _ key: Key, maximumIdle: Int) {
        let kept = idle.withLock { idle in
            guard connection.isOpen, idle[key, default: []].count < maximumIdle else { return false }
            idle[key, default: []].append(connection)
            return true
        }
        if !kept { connection.close() }
    }
}

/// One TLS connection serving requests one after another from a stream, in a task that owns the
/// channel (NIO's scoped `executeThenClose`).
final class PooledConnection: Sendable {
    struct Request: Sendable {
        let head: HTTPRequestHead
        let body: [UInt8]
    }

    struct Answer: Sendable {
        let status: Int
        let contentType: String?
        let body: [UInt8]
        let keepAlive: Bool
    }

    enum Failure: Error {
        /// The connection ended before any byte of an answer (why): safe to retry elsewhere.
        case closedBeforeAnswer(String)
    }

    typealias Pending = (request: Request, reply: Reply)

    let seen: IdentityBox
    let opened = ContinuousClock.now
    private let requests: AsyncStream<Pending>.Continuation
    private let channel: any Channel
    private let open = OpenFlag()

    final class OpenFlag: Sendable {
        let value = Mutex(true)
    }

    init(_ asyncChannel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>, seen: IdentityBox) {
        self.seen = seen
        self.channel = asyncChannel.channel
        let (stream, continuation) = AsyncStream.makeStream(of: Pending.self)
        self.requests = continuation
        let open = self.open
        Task {
            try? await asyncChannel.executeThenClose { inbound, outbound in
                var responses = inbound.makeAsyncIterator()
                for await pending in stream {
                    do {
                        let answer = try await Self.roundTrip(pending.request, inbound: &responses, outbound: outbound)
                        pending.reply.resume(.success(answer))
                        if !answer.keepAlive { break }
                    } catch {
                        pending.reply.resume(.failure(error))
                        break
                    }
                }
            }
            open.value.withLock { $0 = false }
            continuation.finish()
            // Anyone who queued a request after the end gets an answer too.
            for await pending in stream { pending.reply.resume(.failure(Failure.closedBeforeAnswer("the connection has closed"))) }
        }
    }

    var isOpen: Bool { open.value.withLock { $0 } && channel.isActive }

    /// Cancelling the caller answers it at once with `CancellationError` and closes the
    /// connection (a long-poll would otherwise hold a shutdown for its whole wait).
    func send(_ request: Request) async throws -> Answer {
        let reply = Reply()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                reply.set(continuation)
                if case .terminated = requests.yield((request, reply)) { reply.resume(.failure(Failure.closedBeforeAnswer("the connection has closed"))) }
            }
        } onCancel: {
            reply.resume(.failure(CancellationError()))
            close()
        }
    }

    /// The one answer to one request, whoever gives it first (the connection or a cancellation).
    final class Reply: Sendable {
        private let state = Mutex<(continuation: CheckedContinuation<Answer, any Error>?, early: Result<Answer, any Error>?)>((nil, nil))

        func set(_ continuation: CheckedContinuation<Answer, any Error>) {
            let early: Result<Answer, any Error>? = state.withLock { state in
                if let early = state.early { return early }
                state.continuation = continuation
                return nil
            }
            if let early { continuation.resume(with: early) }
        }

        func resume(_ result: Result<Answer, any Error>) {
            let continuation: CheckedContinuation<Answer, any Error>? = state.withLock { state in
                if let continuation = state.continuation {
                    state.continuation = nil
                    state.early = result  // marks it answered
                    return continuation
                }
                if state.early == nil { state.early = result }
                return nil
            }
            continuation?.resume(with: result)
        }
    }

    func close() {
        open.value.withLock { $0 = false }
        requests.finish()
        channel.close(promise: nil)
    }

    static func roundTrip(
        _ request: Request, inbound: inout NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator, outbound: NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>
    ) async throws -> Answer {
        do {
            try await outbound.write(.head(request.head))
            if !request.body.isEmpty { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: request.body)))) }
            try await outbound.write(.end(nil))
        } catch {
            throw Failure.closedBeforeAnswer("\(error)")
        }
        var status = 0
        var type: String?
        var keepAlive = true
        var collected = ByteBuffer()
        var answered = false
        while true {
            let next: HTTPClientResponsePart?
            do {
                next = try await inbound.next()
            } catch {
                // A reset or unclean close before any answer: the server never saw the request
                // through, and the request is idempotent anyway.
                if !answered { throw Failure.closedBeforeAnswer("\(error)") }
                throw GatewayError.transport("the connection failed during the response: \(error)")
            }
            guard let part = next else { break }
            answered = true
            switch part {
            case .head(let head):
                status = Int(head.status.code)
                type = head.headers.first(name: "Content-Type")
                keepAlive = head.isKeepAlive
            case .body(var chunk):
                guard collected.readableBytes + chunk.readableBytes <= 8 * 1024 * 1024 else { throw GatewayError.transport("response too large") }
                collected.writeBuffer(&chunk)
            case .end:
                return Answer(status: status, contentType: type, body: Array(collected.readableBytesView), keepAlive: keepAlive)
            }
        }
        if !answered { throw Failure.closedBeforeAnswer("the server closed the connection") }
        throw GatewayError.transport("the connection closed before the response ended")
    }
}

func withTimeout<T: Sendable>(_ timeout: TimeAmount, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(nanoseconds: UInt64(timeout.nanoseconds))
            throw GatewayError.transport("no answer within \(timeout.nanoseconds / 1_000_000_000) s")
        }
        let result = try await group.next()!
        group.cancelAll()
        return result
    }
}
