/// The original's `(?im)^\s*reasoning\s*:\s*(low|medium|high)\s*$`, searched in a system
/// message: a line stating a reasoning level.
///
/// Matched by hand to keep Python's semantics exactly: `\s` is Python's whitespace (and spans
/// lines, so blank lines around the statement still match), `^`/`$` are line boundaries, and
/// `re.IGNORECASE` also folds `ſ` (U+017F) to `s` and `İ`/`ı` (U+0130/U+0131) to `i`.
enum ReasoningLine {
    static func isPresent(in text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        var start = 0
        while start < scalars.count {
            if let end = matchWord("reasoning", in: scalars, at: start), lineStartsBefore(start, in: scalars) {
                var index = skipSpaces(in: scalars, from: end)
                if index < scalars.count, scalars[index] == ":" {
                    index = skipSpaces(in: scalars, from: index + 1)
                    for level in ["low", "medium", "high"] {
                        if let levelEnd = matchWord(level, in: scalars, at: index), lineEndsAfter(levelEnd, in: scalars) { return true }
                    }
                }
            }
            start += 1
        }
        return false
    }

    /// `^\s*` can end at `index`: the whitespace run before it reaches the text's start or holds a line break.
    private static func lineStartsBefore(_ index: Int, in scalars: [Unicode.Scalar]) -> Bool {
        var position = index
        while position > 0, PythonText.isSpace(scalars[position - 1]) {
            if scalars[position - 1] == "\n" { return true }
            position -= 1
        }
        return position == 0
    }

    /// `\s*$` can start at `index`: the whitespace run after it reaches the text's end or holds a line break.
    private static func lineEndsAfter(_ index: Int, in scalars: [Unicode.Scalar]) -> Bool {
        var position = index
        while position < scalars.count, PythonText.isSpace(scalars[position]) {
            if scalars[position] == "\n" { return true }
            position += 1
        }
        return position == scalars.count
    }

    private static func skipSpaces(in scalars: [Unicode.Scalar], from index: Int) -> Int {
        var position = index
        while position < scalars.count, PythonText.isSpace(scalars[position]) { position += 1 }
        return position
    }

    /// The end of `word` (lowercase ASCII) matched case-insensitively at `index`, or nil.
    private static func matchWord(_ word: String, in scalars: [Unicode.Scalar], at index: Int) -> Int? {
        var position = index
        for letter in word.unicodeScalars {
            guard position < scalars.count, folds(scalars[position], to: letter) else { return nil }
            position += 1
        }
        return position
    }

    /// Python `re.IGNORECASE` equivalence for the letters of these words.
    private static func folds(_ scalar: Unicode.Scalar, to letter: Unicode.Scalar) -> Bool {
        if scalar == letter || scalar.value == letter.value - 0x20 { return true }
        switch letter {
        case "s": return scalar == "\u{017F}"
        case "i": return scalar == "\u{0130}" || scalar == "\u{0131}"
        default: return false
        }
    }
}
