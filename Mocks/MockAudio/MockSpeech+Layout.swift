/// Where each word sits in a mock utterance.
extension MockSpeech {
    /// Word timings of a mock utterance, derivable from the text and the total duration alone,
    /// so a reader of the WAV (the STT mock) recomputes exactly what the writer used.
    ///
    /// The text is split at whitespace. Time is shared out in "units" (one per character of a
    /// word), then scaled to the duration:
    ///
    /// | part | units |
    /// | --- | --- |
    /// | leading / trailing silence | 2 each |
    /// | a word | its character count (at least 1) |
    /// | pause between words | 1 |
    /// | pause after `.`, `!`, `?`, `;`, `:` | 5 |
    /// | pause after `,` | 3 |
    public struct Layout: Equatable, Sendable {
        /// One word and its voiced interval.
        public struct Word: Equatable, Sendable {
            /// The word as written, punctuation included (`"Hello,"`).
            public var text: String
            /// Start in seconds from the beginning of the file.
            public var start: Double
            /// End in seconds.
            public var end: Double
        }

        public var words: [Word]
        /// Total duration in seconds.
        public var duration: Double

        /// Lays out `text` over `duration` seconds.
        public init(text: String, duration: Double) {
            let tokens = Self.tokens(of: text)
            let total = Self.units(of: tokens)
            let secondsPerUnit = total > 0 ? duration / total : 0
            var cursor = Self.edgeUnits
            var words: [Word] = []
            for (index, token) in tokens.enumerated() {
                let length = Self.wordUnits(token)
                words.append(Word(text: token, start: cursor * secondsPerUnit, end: (cursor + length) * secondsPerUnit))
                cursor += length
                if index < tokens.count - 1 { cursor += Self.pauseUnits(after: token) }
            }
            self.words = words
            self.duration = duration
        }

        /// Units of silence at each end.
        static let edgeUnits = 2.0

        /// Total units of a text: the length measure the duration is proportional to.
        static func units(of text: String) -> Double { units(of: tokens(of: text)) }

        static func tokens(of text: String) -> [String] {
            text.split(whereSeparator: { $0.isWhitespace }).map(String.init)
        }

        private static func units(of tokens: [String]) -> Double {
            var total = 2 * edgeUnits
            for (index, token) in tokens.enumerated() {
                total += wordUnits(token)
                if index < tokens.count - 1 { total += pauseUnits(after: token) }
            }
            return total
        }

        private static func wordUnits(_ token: String) -> Double { Double(max(1, token.count)) }

        private static func pauseUnits(after token: String) -> Double {
            switch token.last {
            case ".", "!", "?", ";", ":": 5
            case ",": 3
            default: 1
            }
        }
    }
}
