@testable import Console
import AccordTesting
import Foundation
import Testing

/// Our QR encoder against the independent Python `qrcode` library, module by module, for every
/// mask and versions 1 to 15; and its own mask choice gives a code of the same version.
@Suite(.enabled(if: ExternalTool.available("python3"))) struct QRCodeTests {
    static let script = """
        import json, sys
        import qrcode
        from qrcode.util import QRData, MODE_8BIT_BYTE
        out = []
        for item in json.load(sys.stdin):
            qr = qrcode.QRCode(version=None, error_correction=qrcode.constants.ERROR_CORRECT_M, border=0, mask_pattern=item["mask"])
            qr.add_data(QRData(item["text"].encode("utf-8"), mode=MODE_8BIT_BYTE), optimize=0)
            qr.make(fit=True)
            out.append({"version": qr.version, "rows": ["".join("1" if c else "0" for c in row) for row in qr.get_matrix()]})
        print(json.dumps(out))
        """

    static let pythonQRCode = (try? ExternalTool.run("python3", ["-c", "import qrcode"]).status) == 0

    /// Shown as skipped without python's qrcode, unless the oracles are required (then it fails).
    @Test(.enabled(if: ExternalTool.required || pythonQRCode, "needs python qrcode (scripts/test.sh installs it)"))
    func matchesAnIndependentEncoder() throws {
        try #require(Self.pythonQRCode, "python qrcode is missing (scripts/test.sh installs it)")
        var items: [[String: Any]] = []
        let texts = ["A", "otpauth://totp/Accord:k.novak?secret=JBSWY3DPEHPK3PXP&issuer=Accord",
                     String(repeating: "accord-", count: 20), String(repeating: "Ümlaut ", count: 30)]
            + [10, 40, 70, 100, 130, 160, 190, 220, 250].map { String(repeating: "x", count: $0) }
        for text in texts {
            for mask in 0..<8 { items.append(["text": text, "mask": mask]) }
        }
        let result = try ExternalTool.run("python3", ["-c", Self.script], input: try JSONSerialization.data(withJSONObject: items))
        try #require(result.status == 0, "\(result.errors.suffix(500))")
        let expected = try JSONDecoder().decode([[String: AnyCodable]].self, from: Data(result.output.utf8))
        for (item, reference) in zip(items, expected) {
            let code = try QRCode(item["text"] as! String, mask: item["mask"] as? Int)
            let rows = code.modules.map { row in row.map { $0 ? "1" : "0" }.joined() }
            #expect(code.version == reference["version"]?.int, "version for \((item["text"] as! String).prefix(20))")
            #expect(rows == reference["rows"]?.strings, "modules differ: \((item["text"] as! String).prefix(20)) mask \(item["mask"]!)")
        }
    }

    @Test func rendersSVG() throws {
        let svg = try QRCode("otpauth://totp/x").svg()
        #expect(svg.hasPrefix("<svg") && svg.contains("<path"))
        #expect(throws: QRCode.Failure.self) { try QRCode(String(repeating: "x", count: 600)) }
    }
}

struct AnyCodable: Decodable {
    let value: Any
    var int: Int? { value as? Int }
    var strings: [String]? { value as? [String] }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let int = try? container.decode(Int.self) { value = int } else { value = try container.decode([String].self) }
    }
}
