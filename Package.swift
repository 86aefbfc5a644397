// swift-tools-version: 6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Accord",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "accord", targets: ["accord"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0", traits: ["JSON", "YAML"]),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/vapor/async-kit.git", from: "1.22.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.7.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        // Layer 0: vocabulary shared by every module. No I/O.
        .target(name: "AccordCore", swiftSettings: swiftSettings),

        // Layer 1: the national case domain. Knows nothing of HTTP, SQL or files.
        .target(name: "Casework", dependencies: ["AccordCore", "Identity"], swiftSettings: swiftSettings),

        // Layer 1: the readmission procedure — agreement profiles, legal clocks, the case as a
        // fold of signed messages, the desk both sides work at. No SQL, no HTTP.
        .target(
            name: "Readmission",
            dependencies: [
                "AccordCore", "Exchange",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // Layer 1: reaching national systems — manifests, authentication (mutual TLS, OAuth 2.0
        // client credentials, API keys), timeouts, retries, breaker, rate limit, cache, data
        // minimisation, audit and metrics, over AsyncHTTPClient. Below Storage and Gateway.
        .target(
            name: "AdapterKit",
            dependencies: [
                "AccordCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The adapters: one target per national system, each depending only on AdapterKit and
        // AccordCore (AdapterDependencyTests reads this file and fails otherwise).
        .target(name: "NationalIDAdapter", dependencies: ["AdapterKit", "AccordCore"], path: "Adapters/NationalID", exclude: ["manifest.yaml", "README.md"], swiftSettings: swiftSettings),
        .target(name: "CivilRegistryAdapter", dependencies: ["AdapterKit", "AccordCore"], path: "Adapters/CivilRegistry", exclude: ["manifest.yaml", "README.md"], swiftSettings: swiftSettings),
        .target(name: "BorderAdapter", dependencies: ["AdapterKit", "AccordCore"], path: "Adapters/Border", exclude: ["manifest.yaml", "README.md"], swiftSettings: swiftSettings),
        .target(name: "PoliceAdapter", dependencies: ["AdapterKit", "AccordCore"], path: "Adapters/Police", exclude: ["manifest.yaml", "README.md"], swiftSettings: swiftSettings),
        // The systems' simulators (`accord simulate …`): real HTTP servers with the real
        // authentication, a fixture population and realistic failures. Demo and tests only.
        .target(
            name: "AdapterSimulators",
            dependencies: [
                "AdapterKit", "NationalIDAdapter", "CivilRegistryAdapter", "BorderAdapter", "PoliceAdapter",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["README.md"],
            resources: [.copy("population.json")],
            swiftSettings: swiftSettings
        ),

        // The default profiles (agreements, access policy) as resources of the binary.
        .target(
            name: "DefaultProfiles",
            path: "Profiles",
            exclude: ["README.md", "federation", "schemas"],
            sources: ["DefaultProfiles.swift"],
            resources: [.copy("agreements"), .copy("access"), .copy("workflows"), .copy("triage")],
            swiftSettings: swiftSettings
        ),

        // Layer 1: RFC 6962 Merkle trees and signed checkpoints (audit trail, message log).
        .target(
            name: "Ledger",
            dependencies: ["AccordCore", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),

        // Layer 1: identity, access and the audit trail's domain (users, roles, audit events).
        .target(
            name: "Identity",
            dependencies: [
                "AccordCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ],
            swiftSettings: swiftSettings
        ),

        // libxml2 (system library): hardened parsing and exclusive C14N for XML-DSig.
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),

        // Layer 1: the exchange protocol — envelopes, codecs, signatures, receipts. No SQL.
        .target(
            name: "Exchange",
            dependencies: [
                "AccordCore", "CLibXML2",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: swiftSettings
        ),

        // Layer 1: the federation's trust — PKI, certificate paths, CRLs, participants, agreements,
        // the signed federation configuration. No sockets, no SQL.
        .target(
            name: "Federation",
            dependencies: [
                "AccordCore", "Exchange", "Ledger",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: swiftSettings
        ),

        // Layer 2: adapters of the domain's ports.
        .target(
            name: "Storage",
            dependencies: [
                "AccordCore", "Casework", "Identity", "Ledger", "Exchange", "Federation", "Readmission",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "AsyncKit", package: "async-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Layer 2: the federation's transport — mutual TLS, the federation HTTP client.
        .target(
            name: "Gateway",
            dependencies: [
                "AccordCore", "Exchange", "Federation",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "API",
            dependencies: [
                "AccordCore", "Casework", "Exchange",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Console",
            dependencies: [
                "AccordCore", "Casework", "Readmission", "Exchange",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "MultipartKit", package: "multipart-kit"),
            ],
            resources: [.copy("Templates"), .copy("Static"), .copy("Strings")],
            swiftSettings: swiftSettings
        ),

        // Layer 3: the only composition root.
        .target(
            name: "AccordServer",
            dependencies: [
                "AccordCore", "Casework", "Storage", "API", "Console", "Identity", "Ledger", "Exchange", "Federation", "Gateway", "Readmission",
                "DefaultProfiles",
                "AdapterKit", "NationalIDAdapter", "CivilRegistryAdapter", "BorderAdapter", "PoliceAdapter",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "accord",
            dependencies: [
                "AccordServer", "AccordCore", "Casework", "Exchange", "Ledger", "Storage", "Identity", "Federation", "Gateway", "Readmission",
                "AdapterKit", "AdapterSimulators",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // Test support shared by the test targets.
        .target(
            name: "AccordTesting",
            dependencies: [
                "AccordCore", "Casework", "Storage", "AccordServer", "Exchange", "Identity", "Ledger", "Readmission",
                "AdapterKit", "AdapterSimulators",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: swiftSettings
        ),

        .testTarget(name: "AccordCoreTests", dependencies: ["AccordCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "IdentityTests",
            dependencies: ["Identity", "AccordCore", "AccordTesting", "Storage", "AccordServer", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "LedgerTests", dependencies: ["Ledger", .product(name: "Crypto", package: "swift-crypto")], swiftSettings: swiftSettings),
        .testTarget(
            name: "ExchangeTests",
            dependencies: [
                "Exchange", "AccordCore", "AccordTesting",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
            ],
            resources: [.copy("Vectors")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FederationTests",
            dependencies: [
                "Federation", "Exchange", "AccordCore", "AccordTesting",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            resources: [.copy("Vectors")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GatewayTests",
            dependencies: [
                "Gateway", "Federation", "Exchange", "AccordCore", "AccordTesting", "Storage",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ReadmissionTests",
            dependencies: [
                "Readmission", "Exchange", "AccordCore", "AccordTesting",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "CaseworkTests", dependencies: ["Casework", "AccordCore", "AccordTesting"], resources: [.copy("Resources")], swiftSettings: swiftSettings),
        .testTarget(
            name: "StorageTests",
            dependencies: ["Storage", "Casework", "AccordCore", "AccordTesting", "Identity", "Ledger", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "APITests",
            dependencies: [
                "API", "AccordServer", "Casework", "AccordCore", "AccordTesting",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ConsoleTests",
            dependencies: [
                "Console", "AccordServer", "Casework", "AccordCore", "AccordTesting", "Identity", "Readmission", "Exchange",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AccordServerTests",
            dependencies: [
                "AccordServer", "AccordTesting", "Casework", "AccordCore", "Federation", "Exchange", "Gateway", "Storage",
                "AdapterKit", "AdapterSimulators", "NationalIDAdapter", "CivilRegistryAdapter", "BorderAdapter", "PoliceAdapter",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "X509", package: "swift-certificates"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
