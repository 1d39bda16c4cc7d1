import Vapor

extension Request {
    /// The service context of this request: its database, the app's clock and rules, the caller
    /// (`caller` when the handler has already required one) and the request's audit origin.
    func services(caller: Caller? = nil) -> ServiceContext {
        ServiceContext(
            db: db, now: application.clock(), today: application.today(), rules: application.rules,
            reference: application.reference, shippedPolicies: application.policies,
            registryCache: application.registryCache, attachments: application.attachments,
            origin: AuditLog.Origin(self), caller: caller ?? self.caller, language: language)
    }
}

extension Application {
    /// The service context of a command: audited as done from the command line, by nobody signed in.
    var commandLineServices: ServiceContext {
        ServiceContext(
            db: db, now: clock(), today: today(), rules: rules, reference: reference, shippedPolicies: policies,
            registryCache: registryCache, attachments: attachments,
            origin: AuditLog.Origin(commandLine: self), caller: nil, language: .en)
    }
}
