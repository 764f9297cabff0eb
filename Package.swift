// swift-tools-version:6.0
import PackageDescription

/// One set of compiler settings for every target (Swift 6 language mode everywhere).
let swiftSettings: [SwiftSetting] = []

let package = Package(
    name: "findash",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "findash", targets: ["findash"]),
    ],
    targets: [
        // C libraries, each behind one thin system-library target found through pkg-config.
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CLibMemcached", pkgConfig: "libmemcached", providers: [.apt(["libmemcached-dev"])]),
        .systemLibrary(name: "CLinux"),
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),

        // What every other module shares: a lock TSan sees, the monotonic clock, byte appenders.
        .target(name: "Basics", swiftSettings: swiftSettings),
        // The wire: pure code over bytes, no I/O, no Foundation.
        .target(name: "HTTP1", swiftSettings: swiftSettings),
        // epoll loops, sockets, timers and the worker pool.
        .target(name: "Reactor", dependencies: ["Basics", "HTTP1", "CLinux"], swiftSettings: swiftSettings),
        // libpq: connections, pool, parameterised queries.
        .target(name: "PQ", dependencies: ["Basics", "CLibPQ"], swiftSettings: swiftSettings),
        // libmemcached: get/set with TTL.
        .target(name: "Memcache", dependencies: ["Basics", "CLibMemcached"], swiftSettings: swiftSettings),
        // JWT verification and minting over OpenSSL.
        .target(name: "JWT", dependencies: ["COpenSSL"], swiftSettings: swiftSettings),
        // JSON log lines and counters.
        .target(name: "Telemetry", dependencies: ["Basics"], swiftSettings: swiftSettings),
        // The application: routes, handlers, aggregation SQL, JSON, cache policy. No sockets.
        .target(name: "Dashboard", dependencies: ["Basics", "HTTP1", "PQ", "Memcache", "JWT", "Telemetry"], swiftSettings: swiftSettings),
        // Configuration, wiring, subcommands.
        .target(name: "FindashApp", dependencies: ["Basics", "Dashboard", "Reactor", "HTTP1", "PQ", "Memcache", "JWT", "Telemetry"], swiftSettings: swiftSettings),
        .executableTarget(name: "findash", dependencies: ["FindashApp"], swiftSettings: swiftSettings),

        .testTarget(name: "HTTP1Tests", dependencies: ["HTTP1"], swiftSettings: swiftSettings),
        .testTarget(name: "JWTTests", dependencies: ["JWT"], swiftSettings: swiftSettings),
        .testTarget(name: "DashboardTests", dependencies: ["Basics", "Dashboard", "HTTP1"], swiftSettings: swiftSettings),
    ],
    swiftLanguageModes: [.v6]
)
