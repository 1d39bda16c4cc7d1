import Foundation
import Logging
import Vapor

/// One log line per request, after its answer: method, route (the template, so ids do not make every
/// line unique), status, latency and the signed-in user's id; the request id is already in the
/// request logger's metadata. With `LOG_FORMAT=json` each of them is a field of the line's object.
struct RequestLogMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let started = ContinuousClock.now
        LadderMetrics.inFlight.increment()
        defer { LadderMetrics.inFlight.decrement() }
        let response: Response
        do { response = try await next.respond(to: request) } catch {
            log(request, status: 500, since: started)
            throw error
        }
        log(request, status: response.status.code, since: started)
        return response
    }

    private func log(_ request: Request, status: UInt, since started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        let route = request.route.map { "/" + $0.path.map(\.description).joined(separator: "/") } ?? "(no route)"
        var metadata: Logger.Metadata = [
            "method": .string(request.method.rawValue), "route": .string(route), "status": .stringConvertible(status),
            "latency_ms": .string(String(format: "%.2f", milliseconds)),
        ]
        if let user = request.caller?.userID { metadata["user_id"] = .string(user.uuidString) }
        request.logger.info(
            "\(request.method.rawValue) \(route) \(status) \(String(format: "%.1f", milliseconds)) ms",
            metadata: metadata)
    }
}

/// Log lines as JSON objects, one a line on standard error: time, level, label, message, the source,
/// and every metadata field (the request id, and the request line's method, route, status, latency, user).
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    let label: String
    /// Where a finished line goes: standard error, or a test's buffer.
    let write: @Sendable (Data) -> Void

    public init(label: String) {
        self.init(label: label) { FileHandle.standardError.write($0) }
    }

    init(label: String, write: @escaping @Sendable (Data) -> Void) {
        self.label = label
        self.write = write
    }

    static let time = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var object: [String: Any] = [
            "time": Date().formatted(Self.time), "level": event.level.rawValue,
            "label": label, "message": event.message.description, "source": event.source,
        ]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
            object[key] = Self.plain(value)
        }
        guard
            var line = try? JSONSerialization.data(
                withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return }
        line.append(0x0A)
        write(line)
    }

    static func plain(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let s): s
        case .stringConvertible(let c): c.description
        case .array(let a): a.map(plain)
        case .dictionary(let d): d.mapValues(plain)
        }
    }
}

/// How `ladder` sets up logging: `LOG_LEVEL` as Vapor reads it, `LOG_FORMAT` (`text` or `json`).
public enum LadderLogging {
    public static func bootstrap(from environment: inout Environment) throws {
        let format = try OperationsSettings.logFormat(ProcessInfo.processInfo.environment["LOG_FORMAT"])
        try LoggingSystem.bootstrap(from: &environment) { level in
            { label in
                switch format {
                case .json:
                    var handler = JSONLogHandler(label: label)
                    handler.logLevel = level
                    return handler
                case .text:
                    var handler = StreamLogHandler.standardError(label: label)
                    handler.logLevel = level
                    return handler
                }
            }
        }
    }
}
