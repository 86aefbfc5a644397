import AccordServer
import AccordTesting
import AdapterKit
import Foundation
import Testing

/// Manifests are data checked like the other profiles (file:line), and adapters stay apart.
@Suite struct AdapterManifestTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func theShippedManifestsAreValid() throws {
        let (manifests, problems) = AdapterManifestFile.loadDirectory(Self.root.appendingPathComponent("Adapters"))
        #expect(problems.isEmpty, "\(problems)")
        #expect(Set(manifests.map(\.kind)) == Set(AdapterKind.allCases))
        let national = try #require(manifests.first { $0.kind == .nationalID })
        #expect(national.fields.contains(.nationalID) && !national.fields.contains(.placeOfBirth) && national.cacheFor == .seconds(300))
        #expect(national.settings["partnerID"] == "accord-partner")
        guard case .apiKey(let header, .file(let path)) = national.authentication else { Issue.record("\(national.authentication)"); return }
        #expect(header == "Authorization" && path.hasSuffix("Adapters/NationalID/secrets/api-key"))
        let run = try AccordProcess.run(["profiles", "validate", Self.root.appendingPathComponent("Adapters").path])
        #expect(run.status == 0 && run.output.contains("4 adapter manifest(s); 0 error(s)"), "\(run.output)")
    }

    @Test func everyProblemComesBackWithItsLine() throws {
        let text = """
            system: Police Nationale
            kind: polis
            name: Police
            baseURL: http://police.example.org
            authentication:
              type: mutualTLS
              certificateFile: c.pem
              privateKeyFile: k.pem
              trustRootsFile: ca.pem
            timeouts: { requestMs: 0, totalMs: 500 }
            fields: [familyName, passportPhoto]
            colour: blue
            """
        let (manifest, diagnostics) = AdapterManifestFile.parse(text, relativeTo: URL(fileURLWithPath: "/tmp"))
        #expect(manifest == nil)
        let lines = Dictionary(diagnostics.map { ($0.path ?? "", $0.line ?? 0) }, uniquingKeysWith: { first, _ in first })
        #expect(lines["system"] == 1 && lines["kind"] == 2 && lines["baseURL"] == 4 && lines["timeouts.requestMs"] == 10 && lines["fields[1]"] == 11 && lines["colour"] == 12,
                "\(diagnostics)")
        #expect(diagnostics.contains { $0.code == "profiles.unknown_field" && $0.path == "colour" })

        // A secret never sits in the manifest: only where to find it.
        let inline = AdapterManifestFile.parse("""
            system: police
            kind: police
            name: Police
            baseURL: https://police.example.org
            authentication:
              type: apiKey
              key: s3cr3t
            fields: [documents]
            """, relativeTo: URL(fileURLWithPath: "/tmp"))
        #expect(inline.0 == nil && inline.1.contains { $0.path == "authentication.key" && $0.line == 7 } && inline.1.contains { $0.message.contains("never written into a manifest") })
    }

    /// Adapters depend on AdapterKit and AccordCore only: never on each other, Storage or Gateway.
    @Test func adaptersDependOnAdapterKitAndAccordCoreOnly() throws {
        let manifest = try String(contentsOf: Self.root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let targets = manifest.components(separatedBy: ".target(").dropFirst().map { String($0.prefix { $0 != ")" }) + ")" }
        let adapters = targets.filter { $0.contains("path: \"Adapters/") }
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent("Adapters").path).filter { !$0.hasSuffix(".md") }
        #expect(adapters.count == folders.count && adapters.count == 4, "\(folders)")
        for target in adapters {
            let dependencies = try #require(target.firstMatch(of: /dependencies: \[([^\]]*)\]/)).output.1
            let names = dependencies.split(separator: ",").map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: "\" ")) }
            #expect(Set(names).isSubset(of: ["AdapterKit", "AccordCore"]), "\(target.prefix(60)): \(names)")
        }
        for folder in folders {
            #expect(FileManager.default.fileExists(atPath: Self.root.appendingPathComponent("Adapters/\(folder)/manifest.yaml").path), "\(folder) has no manifest")
            for file in try FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent("Adapters/\(folder)").path) where file.hasSuffix(".swift") {
                let source = try String(contentsOf: Self.root.appendingPathComponent("Adapters/\(folder)/\(file)"), encoding: .utf8)
                let imports = source.split(separator: "\n").filter { $0.hasPrefix("import ") || $0.hasPrefix("public import ") }.map { $0.split(separator: " ").last.map(String.init) ?? "" }
                #expect(Set(imports).isSubset(of: ["AdapterKit", "AccordCore", "Foundation"]), "\(folder)/\(file) imports \(imports)")
            }
        }
    }
}
