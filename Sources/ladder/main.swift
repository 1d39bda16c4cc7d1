import App
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
    try await app.execute()
} catch {
    // `execute` has already reported the error through the logger.
    try? await app.asyncShutdown()
    exit(1)
}
try await app.asyncShutdown()
