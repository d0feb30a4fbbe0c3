/// The HTML rendering (placeholder until the self-contained page lands).
extension LoadReport {
    public func html() -> String { "<!doctype html><title>load report</title>" }
}
