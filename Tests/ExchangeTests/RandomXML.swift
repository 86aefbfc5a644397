import Foundation

/// Random but well-formed unsigned message documents: unicode text, escaped characters, CDATA,
/// attributes in any order, default and prefixed namespaces (some unused), nested elements.
struct RandomXML {
    var generator: any RandomNumberGenerator = SystemRandomNumberGenerator()

    static let words = ["Ahmad", "Karimi", "Олена", "Шевченко", "ዮሃንስ", "احمد", "王伟", "Çağlar", "Öztürk", "a & b", "x < y", "\"quoted\"", "it's", "tab\there", "line\nbreak", "€ 12", "🙂"]

    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &generator)] }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &generator) < p }

    static func escape(_ text: String, attribute: Bool = false) -> String {
        var result = text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        if attribute { result = result.replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "\n", with: "&#10;").replacingOccurrences(of: "\t", with: "&#9;") }
        return result
    }

    mutating func element(depth: Int) -> String {
        let prefix = pick(["acc:", "", "x:"])
        let name = prefix + pick(["Person", "Name", "Document", "Evidence", "Note", "Item"])
        var attributes = ""
        for attribute in ["kind", "lang", "seq"].shuffled(using: &generator) where chance(0.4) {
            attributes += " \(attribute)=\"\(Self.escape(pick(Self.words), attribute: true))\""
        }
        if prefix == "x:" { attributes += " xmlns:x=\"urn:example:extension\"" }
        if prefix == "", chance(0.5) { attributes += " xmlns=\"urn:example:default\"" }
        if chance(0.2) { attributes += " xmlns:unused=\"urn:example:unused\"" }
        var content = ""
        let count = depth > 3 ? 0 : Int.random(in: 0...3, using: &generator)
        for _ in 0..<count { content += chance(0.2) ? "\n  " : "" ; content += element(depth: depth + 1) }
        if count == 0 {
            content = chance(0.15) ? "<![CDATA[\(pick(Self.words)) <raw>]]>" : Self.escape(pick(Self.words))
        }
        return "<\(name)\(attributes)>\(content)</\(name)>"
    }

    mutating func message(id: String) -> String {
        var body = ""
        for _ in 0..<Int.random(in: 1...4, using: &generator) { body += element(depth: 0) }
        let declaration = chance(0.5) ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" : ""
        return "\(declaration)<acc:Message xmlns:acc=\"urn:accord:exchange:1\" Id=\"\(id)\"><acc:Header><acc:MessageID>\(id)</acc:MessageID></acc:Header><acc:Body>\(body)</acc:Body></acc:Message>"
    }
}
