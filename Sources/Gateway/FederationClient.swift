public import Exchange
public import Federation
public import Foundation
public import NIOCore
import NIOHTTP1
import NIOPosix
public import NIOSSL

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

/// A minimal HTTP/1.1 client over mutual TLS for hub↔node calls: one request per connection,
/// the server verified by `FederationTrust` during the handshake and required to be the
/// participant the caller meant to reach.
public struct FederationClient: Sendable {
    let context: NIOSSLContext
    let trust: TrustState
    let group: any EventLoopGroup
    public var timeout: TimeAmount

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
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: endpoint.host)
        headers.add(name: "Content-Length", value: "\(body.count)")
        headers.add(name: "Connection", value: "close")
        if let contentType { headers.add(name: "Content-Type", value: contentType) }
        for (name, value) in extra { headers.add(name: name, value: value) }
        let requestHeaders = headers
        let method = HTTPMethod(rawValue: method)
        do {
            let (status, type, bytes) = try await withTimeout(timeout) {
                try await channel.executeThenClose { inbound, outbound in
                    try await outbound.write(.head(HTTPRequestHead(version: .http1_1, method: method, uri: path, headers: requestHeaders)))
                    if !body.isEmpty { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
                    try await outbound.write(.end(nil))
                    var status = 0
                    var type: String?
                    var collected = ByteBuffer()
                    for try await part in inbound {
                        switch part {
                        case .head(let head):
                            status = Int(head.status.code)
                            type = head.headers.first(name: "Content-Type")
                        case .body(var chunk):
                            guard collected.readableBytes + chunk.readableBytes <= 8 * 1024 * 1024 else { throw GatewayError.transport("response too large") }
                            collected.writeBuffer(&chunk)
                        case .end:
                            return (status, type, Array(collected.readableBytesView))
                        }
                    }
                    throw GatewayError.transport("the connection closed before the response ended")
                }
            }
            guard case .success(let peer) = seen.result else { throw GatewayError.peerUnverified("the server was not verified") }
            return FederationResponse(status: status, contentType: type, body: bytes, peer: peer)
        } catch {
            if case .failure(let reason) = seen.result { throw GatewayError.peerUnverified("the server's certificate was refused: \(reason)") }
            if let error = error as? GatewayError { throw error }
            throw GatewayError.transport("\(method) \(path) at \(endpoint.host):\(endpoint.port) failed: \(error)")
        }
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
