/// Limits applied to every inbound JSON document.
public struct JSONLimits: Sendable, Equatable {
    public var maximumBytes: Int
    public var maximumDepth: Int

    public init(maximumBytes: Int = 1 << 20, maximumDepth: Int = 32) {
        self.maximumBytes = maximumBytes
        self.maximumDepth = maximumDepth
    }
}

/// A strict RFC 8259 validator run before any JSON is decoded: UTF-8 only, bounded size and
/// nesting, and no duplicate member names (which different parsers resolve differently — the
/// root of JOSE header confusion attacks).
public enum StrictJSON {
    public static func validate(_ bytes: [UInt8], limits: JSONLimits = JSONLimits()) throws(ExchangeError) {
        guard bytes.count <= limits.maximumBytes else { throw .jsonTooLarge(limits.maximumBytes) }
        guard String(validating: bytes, as: UTF8.self) != nil else { throw .jsonMalformed("not UTF-8") }
        var scanner = Scanner(bytes: bytes, maximumDepth: limits.maximumDepth)
        scanner.skipWhitespace()
        try scanner.value(depth: 1)
        scanner.skipWhitespace()
        guard scanner.index == bytes.count else { throw .jsonMalformed("trailing characters at byte \(scanner.index)") }
    }

    private struct Scanner {
        let bytes: [UInt8]
        let maximumDepth: Int
        var index = 0
        /// The member path of the value being scanned (`person.names[1].family`).
        var path: [String] = []

        var pathText: String {
            path.reduce(into: "") { text, part in text += part.hasPrefix("[") || text.isEmpty ? part : "." + part }
        }

        init(bytes: [UInt8], maximumDepth: Int) {
            self.bytes = bytes
            self.maximumDepth = maximumDepth
        }

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipWhitespace() {
            while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
        }

        mutating func expect(_ literal: String) throws(ExchangeError) {
            for byte in literal.utf8 {
                guard current == byte else { throw .jsonMalformed("unexpected character at byte \(index)") }
                index += 1
            }
        }

        mutating func value(depth: Int) throws(ExchangeError) {
            guard let byte = current else { throw .jsonMalformed("unexpected end") }
            switch byte {
            case UInt8(ascii: "{"): try object(depth: depth)
            case UInt8(ascii: "["): try array(depth: depth)
            case UInt8(ascii: "\""): _ = try string()
            case UInt8(ascii: "t"): try expect("true")
            case UInt8(ascii: "f"): try expect("false")
            case UInt8(ascii: "n"): try expect("null")
            default: try number()
            }
        }

        mutating func object(depth: Int) throws(ExchangeError) {
            guard depth <= maximumDepth else { throw .jsonTooDeep(maximumDepth) }
            index += 1
            var keys: Set<String> = []
            skipWhitespace()
            if current == UInt8(ascii: "}") { index += 1; return }
            while true {
                skipWhitespace()
                guard current == UInt8(ascii: "\"") else { throw .jsonMalformed("expected a member name at byte \(index)") }
                let key = try string()
                path.append(key)
                guard keys.insert(key).inserted else { throw .jsonDuplicateKey(key, path: pathText) }
                skipWhitespace()
                try expect(":")
                skipWhitespace()
                try value(depth: depth + 1)
                path.removeLast()
                skipWhitespace()
                if current == UInt8(ascii: ",") { index += 1; continue }
                try expect("}")
                return
            }
        }

        mutating func array(depth: Int) throws(ExchangeError) {
            guard depth <= maximumDepth else { throw .jsonTooDeep(maximumDepth) }
            index += 1
            skipWhitespace()
            if current == UInt8(ascii: "]") { index += 1; return }
            var position = 0
            while true {
                skipWhitespace()
                path.append("[\(position)]")
                try value(depth: depth + 1)
                path.removeLast()
                position += 1
                skipWhitespace()
                if current == UInt8(ascii: ",") { index += 1; continue }
                try expect("]")
                return
            }
        }

        /// Returns the decoded string (escapes resolved), so `"a"` and `"\u0061"` are the same key.
        mutating func string() throws(ExchangeError) -> String {
            index += 1
            var scalars = String.UnicodeScalarView()
            var start = index
            func flush(_ end: Int) { scalars.append(contentsOf: String(decoding: bytes[start..<end], as: UTF8.self).unicodeScalars) }
            while let byte = current {
                switch byte {
                case UInt8(ascii: "\""):
                    flush(index)
                    index += 1
                    return String(scalars)
                case UInt8(ascii: "\\"):
                    flush(index)
                    index += 1
                    guard let escape = current else { throw .jsonMalformed("unterminated escape") }
                    index += 1
                    switch escape {
                    case UInt8(ascii: "\""): scalars.append("\"")
                    case UInt8(ascii: "\\"): scalars.append("\\")
                    case UInt8(ascii: "/"): scalars.append("/")
                    case UInt8(ascii: "b"): scalars.append("\u{8}")
                    case UInt8(ascii: "f"): scalars.append("\u{C}")
                    case UInt8(ascii: "n"): scalars.append("\n")
                    case UInt8(ascii: "r"): scalars.append("\r")
                    case UInt8(ascii: "t"): scalars.append("\t")
                    case UInt8(ascii: "u"):
                        var code = try hex4()
                        if (0xD800...0xDBFF).contains(code), current == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") {
                            index += 2
                            let low = try hex4()
                            guard (0xDC00...0xDFFF).contains(low) else { throw .jsonMalformed("invalid surrogate pair") }
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let scalar = Unicode.Scalar(code) else { throw .jsonMalformed("lone surrogate") }
                        scalars.append(scalar)
                    default: throw .jsonMalformed("invalid escape at byte \(index - 1)")
                    }
                    start = index
                case 0x00..<0x20:
                    throw .jsonMalformed("control character in string at byte \(index)")
                default:
                    index += 1
                }
            }
            throw .jsonMalformed("unterminated string")
        }

        mutating func hex4() throws(ExchangeError) -> UInt32 {
            guard index + 4 <= bytes.count, let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16) else {
                throw .jsonMalformed("invalid \\u escape")
            }
            index += 4
            return value
        }

        mutating func number() throws(ExchangeError) {
            let start = index
            if current == UInt8(ascii: "-") { index += 1 }
            guard let first = current, (48...57).contains(first) else { throw .jsonMalformed("unexpected character at byte \(start)") }
            if first == 48 { index += 1 } else { while let d = current, (48...57).contains(d) { index += 1 } }
            if current == UInt8(ascii: ".") {
                index += 1
                guard let d = current, (48...57).contains(d) else { throw .jsonMalformed("bad number at byte \(start)") }
                while let d = current, (48...57).contains(d) { index += 1 }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                index += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
                guard let d = current, (48...57).contains(d) else { throw .jsonMalformed("bad exponent at byte \(start)") }
                while let d = current, (48...57).contains(d) { index += 1 }
            }
        }
    }
}
