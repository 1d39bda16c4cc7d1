// swift-tools-version:6.0
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "ClusterLadder",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "ladder", targets: ["ladder"])
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.0"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/JohnSundell/Plot.git", from: "0.14.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
    ],
    targets: [
        .target(
            name: "ClusterDomain",
            resources: [.copy("Resources")],
            swiftSettings: strict
        ),
        .target(
            name: "DocumentIntake",
            dependencies: ["ClusterDomain"],
            resources: [.copy("Resources")],
            swiftSettings: strict
        ),
        .target(
            name: "App",
            dependencies: [
                "ClusterDomain",
                "DocumentIntake",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Plot", package: "Plot"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "ladder",
            dependencies: ["App"],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "intake-bench",
            dependencies: ["DocumentIntake"],
            path: "Sources/IntakeBench",
            swiftSettings: strict
        ),
        .testTarget(
            name: "DocumentIntakeTests",
            dependencies: ["DocumentIntake"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ClusterDomainTests",
            dependencies: ["ClusterDomain"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "AppTests",
            dependencies: [
                "App",
                .product(name: "VaporTesting", package: "vapor"),
            ],
            // Read from the source tree by MigrationSnapshotTests, not bundled.
            exclude: ["Snapshots"],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
