import SynapseCore

extension AudioFormat {
    /// How the gateway presents a converted file: an attachment named `converted.<extension>`.
    public var presentation: ResponsePresentation {
        .attachment(mediaType: mediaType, filename: "converted.\(rawValue)")
    }
}
