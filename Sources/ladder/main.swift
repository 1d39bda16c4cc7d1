import App
import Foundation
import Vapor

// Logs go to standard error, so that command output (`ladder stats --format json`) stays clean.
var env = try Environment.detect()
// `ladder ingest -` reads standard input; the command parser would take a lone "-" for an option.
env.arguments = IngestCommand.arguments(env.arguments)
// LOG_LEVEL and LOG_FORMAT (text, or one JSON object a line).
try LadderLogging.bootstrap(from: &env)
let app = try await Application.make(env)
do {
    try await configure(app)
    try await app.startup()
    try await app.running?.onStop.get()
} catch let error as App.CommandError {
    // A command's refusal is for the person who typed it: one plain line.
    FileHandle.standardError.write(Data("ladder: \(error.description)\n".utf8))
    try? await app.asyncShutdown()
    exit(1)
} catch {
    app.logger.report(error: error)
    try? await app.asyncShutdown()
    exit(1)
}
try await app.asyncShutdown()
