/// A QR code (ISO/IEC 18004) encoder for the TOTP enrolment page: byte mode, error correction
/// level M, versions 1–15, with the standard mask selection. Rendered as SVG, so no image library
/// and no JavaScript are needed.
struct QRCode {
    let size: Int
    /// Row-major modules, true = dark.
    let modules: [[Bool]]
    let version: Int
    let mask: Int

    enum Failure: Error { case tooLong }

    /// (EC codewords per block, [(blocks, data codewords per block)]) for level M.
    static let blocks: [Int: (Int, [(Int, Int)])] = [
        1: (10, [(1, 16)]), 2: (16, [(1, 28)]), 3: (26, [(1, 44)]), 4: (18, [(2, 32)]), 5: (24, [(2, 43)]),
        6: (16, [(4, 27)]), 7: (18, [(4, 31)]), 8: (22, [(2, 38), (2, 39)]), 9: (22, [(3, 36), (2, 37)]),
        10: (26, [(4, 43), (1, 44)]), 11: (30, [(1, 50), (4, 51)]), 12: (22, [(6, 36), (2, 37)]),
        13: (22, [(8, 37), (1, 38)]), 14: (24, [(4, 40), (5, 41)]), 15: (24, [(5, 41), (5, 42)]),
    ]
    static let alignment: [Int: [Int]] = [
        2: [6, 18], 3: [6, 22], 4: [6, 26], 5: [6, 30], 6: [6, 34], 7: [6, 22, 38], 8: [6, 24, 42], 9: [6, 26, 46],
        10: [6, 28, 50], 11: [6, 30, 54], 12: [6, 32, 58], 13: [6, 34, 62], 14: [6, 26, 46, 66], 15: [6, 26, 48, 70],
    ]

    init(_ text: String, mask fixedMask: Int? = nil) throws {
        let data = Array(text.utf8)
        guard let version = (1...15).first(where: { v in
            let capacity = Self.blocks[v]!.1.reduce(0) { $0 + $1.0 * $1.1 }
            return 4 + (v < 10 ? 8 : 16) + data.count * 8 <= capacity * 8
        }) else { throw Failure.tooLong }
        let codewords = Self.codewords(data, version: version)
        let size = 17 + 4 * version
        var best: (Int, [[Bool]], Int)?
        for mask in fixedMask.map({ [$0] }) ?? Array(0..<8) {
            var grid = Grid(size: size)
            grid.placeFunctionPatterns(version: version)
            grid.placeData(codewords, mask: mask)
            grid.placeFormat(mask: mask)
            if version >= 7 { grid.placeVersion(version) }
            let penalty = grid.penalty()
            if best == nil || penalty < best!.0 { best = (penalty, grid.dark, mask) }
        }
        self.size = size
        self.modules = best!.1
        self.version = version
        self.mask = best!.2
    }

    // MARK: Codewords

    static func codewords(_ data: [UInt8], version: Int) -> [UInt8] {
        let (ecCount, groups) = blocks[version]!
        let capacity = groups.reduce(0) { $0 + $1.0 * $1.1 }
        var bits: [Bool] = []
        func append(_ value: Int, _ count: Int) { for i in stride(from: count - 1, through: 0, by: -1) { bits.append((value >> i) & 1 == 1) } }
        append(0b0100, 4)
        append(data.count, version < 10 ? 8 : 16)
        for byte in data { append(Int(byte), 8) }
        append(0, min(4, capacity * 8 - bits.count))
        while bits.count % 8 != 0 { bits.append(false) }
        var bytes: [UInt8] = stride(from: 0, to: bits.count, by: 8).map { start in bits[start..<start + 8].reduce(0) { ($0 << 1) | ($1 ? 1 : 0) } }
        var pad = true
        while bytes.count < capacity {
            bytes.append(pad ? 0xEC : 0x11)
            pad.toggle()
        }
        var dataBlocks: [[UInt8]] = []
        var offset = 0
        for (count, length) in groups {
            for _ in 0..<count {
                dataBlocks.append(Array(bytes[offset..<offset + length]))
                offset += length
            }
        }
        let ecBlocks = dataBlocks.map { ReedSolomon.remainder($0, degree: ecCount) }
        var result: [UInt8] = []
        for index in 0..<(dataBlocks.map(\.count).max() ?? 0) {
            for block in dataBlocks where index < block.count { result.append(block[index]) }
        }
        for index in 0..<ecCount {
            for block in ecBlocks { result.append(block[index]) }
        }
        return result
    }

    /// An SVG drawing with a quiet zone of four modules.
    func svg(moduleSize: Int = 4) -> String {
        let total = (size + 8) * moduleSize
        var path = ""
        for (y, row) in modules.enumerated() {
            for (x, dark) in row.enumerated() where dark {
                path += "M\((x + 4) * moduleSize) \((y + 4) * moduleSize)h\(moduleSize)v\(moduleSize)h-\(moduleSize)z"
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(total) \(total)\" width=\"\(total)\" height=\"\(total)\" role=\"img\" aria-label=\"QR code\">"
            + "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"\(path)\"/></svg>"
    }
}

private struct Grid {
    let size: Int
    var dark: [[Bool]]
    var reserved: [[Bool]]

    init(size: Int) {
        self.size = size
        dark = Array(repeating: Array(repeating: false, count: size), count: size)
        reserved = dark
    }

    mutating func set(_ x: Int, _ y: Int, _ value: Bool) {
        dark[y][x] = value
        reserved[y][x] = true
    }

    mutating func placeFunctionPatterns(version: Int) {
        for (cx, cy) in [(3, 3), (size - 4, 3), (3, size - 4)] {
            for dy in -4...4 {
                for dx in -4...4 {
                    let x = cx + dx, y = cy + dy
                    guard (0..<size).contains(x), (0..<size).contains(y) else { continue }
                    let distance = max(abs(dx), abs(dy))
                    set(x, y, distance != 2 && distance != 4)
                }
            }
        }
        for i in 8..<(size - 8) {
            set(i, 6, i % 2 == 0)
            set(6, i, i % 2 == 0)
        }
        if let positions = QRCode.alignment[version] {
            for cy in positions {
                for cx in positions {
                    if (cx == 6 && cy == 6) || (cx == 6 && cy == positions.last!) || (cx == positions.last! && cy == 6) { continue }
                    for dy in -2...2 {
                        for dx in -2...2 { set(cx + dx, cy + dy, max(abs(dx), abs(dy)) != 1) }
                    }
                }
            }
        }
        // Reserve format areas and the dark module.
        for i in 0...8 {
            if !reserved[8][i] { set(i, 8, false) }
            if !reserved[i][8] { set(8, i, false) }
        }
        for i in 0..<8 {
            set(size - 1 - i, 8, false)
            set(8, size - 1 - i, false)
        }
        set(8, size - 8, true)
        if version >= 7 {
            for i in 0..<6 {
                for j in 0..<3 {
                    set(size - 11 + j, i, false)
                    set(i, size - 11 + j, false)
                }
            }
        }
    }

    mutating func placeData(_ codewords: [UInt8], mask: Int) {
        var bitIndex = 0
        let totalBits = codewords.count * 8
        var x = size - 1
        var upward = true
        while x > 0 {
            if x == 6 { x -= 1 }
            for step in 0..<size {
                let y = upward ? size - 1 - step : step
                for column in [x, x - 1] where !reserved[y][column] {
                    var bit = false
                    if bitIndex < totalBits { bit = (codewords[bitIndex / 8] >> (7 - UInt8(bitIndex % 8))) & 1 == 1 }
                    bitIndex += 1
                    dark[y][column] = bit != Grid.masked(mask, column, y)
                }
            }
            upward.toggle()
            x -= 2
        }
    }

    static func masked(_ mask: Int, _ x: Int, _ y: Int) -> Bool {
        switch mask {
        case 0: (x + y) % 2 == 0
        case 1: y % 2 == 0
        case 2: x % 3 == 0
        case 3: (x + y) % 3 == 0
        case 4: (y / 2 + x / 3) % 2 == 0
        case 5: (x * y) % 2 + (x * y) % 3 == 0
        case 6: ((x * y) % 2 + (x * y) % 3) % 2 == 0
        default: ((x + y) % 2 + (x * y) % 3) % 2 == 0
        }
    }

    mutating func placeFormat(mask: Int) {
        let data = (0b00 << 3) | mask // level M = 00
        var bits = data << 10
        for i in stride(from: 14, through: 10, by: -1) where (bits >> i) & 1 == 1 { bits ^= 0b10100110111 << (i - 10) }
        let format = ((data << 10) | bits) ^ 0b101010000010010
        func bit(_ i: Int) -> Bool { (format >> i) & 1 == 1 }
        for i in 0...5 { dark[i][8] = bit(i) }
        dark[7][8] = bit(6)
        dark[8][8] = bit(7)
        dark[8][7] = bit(8)
        for i in 9...14 { dark[8][14 - i] = bit(i) }
        for i in 0...7 { dark[8][size - 1 - i] = bit(i) }
        for i in 8...14 { dark[size - 15 + i][8] = bit(i) }
        dark[size - 8][8] = true
    }

    mutating func placeVersion(_ version: Int) {
        var bits = version << 12
        for i in stride(from: 17, through: 12, by: -1) where (bits >> i) & 1 == 1 { bits ^= 0b1111100100101 << (i - 12) }
        let value = (version << 12) | bits
        for i in 0..<18 {
            let on = (value >> i) & 1 == 1
            dark[i / 3][size - 11 + i % 3] = on
            dark[size - 11 + i % 3][i / 3] = on
        }
    }

    /// The four penalty rules of ISO/IEC 18004 §7.8.3.
    func penalty() -> Int {
        var score = 0
        for line in 0..<size {
            for horizontal in [true, false] {
                var run = 1
                for i in 1..<size {
                    let same = horizontal ? dark[line][i] == dark[line][i - 1] : dark[i][line] == dark[i - 1][line]
                    if same { run += 1 } else { if run >= 5 { score += run - 2 }; run = 1 }
                }
                if run >= 5 { score += run - 2 }
            }
        }
        for y in 0..<(size - 1) {
            for x in 0..<(size - 1) where dark[y][x] == dark[y][x + 1] && dark[y][x] == dark[y + 1][x] && dark[y][x] == dark[y + 1][x + 1] { score += 3 }
        }
        let patterns: [[Bool]] = [[true, false, true, true, true, false, true, false, false, false, false], [false, false, false, false, true, false, true, true, true, false, true]]
        for y in 0..<size {
            for x in 0...(size - 11) {
                for pattern in patterns {
                    if (0..<11).allSatisfy({ dark[y][x + $0] == pattern[$0] }) { score += 40 }
                    if (0..<11).allSatisfy({ dark[x + $0][y] == pattern[$0] }) { score += 40 }
                }
            }
        }
        let darkCount = dark.reduce(0) { $0 + $1.filter { $0 }.count }
        score += (abs(darkCount * 20 - size * size * 10) / (size * size)) * 10
        return score
    }
}

/// Reed–Solomon error correction over GF(256) with the QR polynomial 0x11D.
enum ReedSolomon {
    static let (exp, log): ([Int], [Int]) = {
        var exp = [Int](repeating: 0, count: 512), log = [Int](repeating: 0, count: 256)
        var value = 1
        for i in 0..<255 {
            exp[i] = value
            log[value] = i
            value <<= 1
            if value & 0x100 != 0 { value ^= 0x11D }
        }
        for i in 255..<512 { exp[i] = exp[i - 255] }
        return (exp, log)
    }()

    static func multiply(_ a: Int, _ b: Int) -> Int {
        a == 0 || b == 0 ? 0 : exp[log[a] + log[b]]
    }

    static func generator(_ degree: Int) -> [Int] {
        var polynomial = [1]
        for i in 0..<degree {
            var next = [Int](repeating: 0, count: polynomial.count + 1)
            for (j, coefficient) in polynomial.enumerated() {
                next[j] ^= coefficient
                next[j + 1] ^= multiply(coefficient, exp[i])
            }
            polynomial = next
        }
        return polynomial
    }

    static func remainder(_ data: [UInt8], degree: Int) -> [UInt8] {
        let generator = generator(degree)
        var result = data.map(Int.init) + [Int](repeating: 0, count: degree)
        for i in 0..<data.count where result[i] != 0 {
            let factor = result[i]
            for (j, coefficient) in generator.enumerated() { result[i + j] ^= multiply(coefficient, factor) }
        }
        return result.suffix(degree).map(UInt8.init)
    }
}
