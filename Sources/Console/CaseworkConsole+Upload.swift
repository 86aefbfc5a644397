import AccordCore
public import Casework
import Foundation
public import Hummingbird
import MultipartKit
import NIOCore

/// Uploading a document from the case page: a multipart/form-data form (a file from the
/// computer or the phone's camera), parsed with MultipartKit and checked by the document policy.
extension CaseworkConsole {
    func registerUpload<Context: RequestContext>(on console: RouterGroup<Context>) {
        console.post("cases/{caseNumber}/documents") { request, context in
            let session = try await requireSession(request)
            let number = try CaseNumber(parsing: context.parameters.get("caseNumber") ?? "")
            let form = try await multipartForm(request)
            guard form.fields["csrf"] == session.csrfToken else {
                throw ConsoleError(code: "console.csrf_failed", reason: "the form is not from this session", category: .forbidden)
            }
            do {
                _ = try await service.attachDocument(
                    number,
                    metadata: DocumentMetadataInput(
                        kind: form.fields["kind"], title: form.fields["title"].flatMap { $0.isEmpty ? nil : $0 },
                        fileName: form.file?.name.flatMap { $0.isEmpty ? nil : String($0.suffix(255)) },
                        personID: form.fields["personID"].flatMap { $0.isEmpty ? nil : $0 }
                    ),
                    mediaType: form.file?.mediaType ?? "", bytes: form.file?.bytes ?? [], by: Self.caller(session, request)
                )
            } catch let error as CaseworkError {
                var fields = form.fields
                fields["csrf"] = nil
                return try await casePage(number, session: session, request: request, form: ("documents", fields), error: error,
                                          status: HTTPResponse.Status(code: error.category.httpStatusCode))
            }
            return Response(status: .seeOther, headers: [.location: "/console/cases/\(number.text)#documents", .cacheControl: "no-store"])
        }
    }

    struct UploadedFile {
        var name: String?
        var mediaType: String
        var bytes: [UInt8]
    }

    /// The text fields and the first file of a multipart/form-data body within the document limit.
    func multipartForm(_ request: Request) async throws -> (fields: [String: String], file: UploadedFile?) {
        guard let type = request.headers[.contentType], type.lowercased().hasPrefix("multipart/form-data"),
              let boundary = type.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) })
                .first(where: { $0.lowercased().hasPrefix("boundary=") })?.dropFirst("boundary=".count) else {
            throw ConsoleError(code: "console.invalid_form", reason: "the upload must be sent as multipart/form-data", category: .unsupportedMediaType)
        }
        let limit = service.documentPolicy.maximumBytes + 64 * 1024
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw CaseworkError.documentTooLarge(limit: service.documentPolicy.maximumBytes)
        }
        let parser = MultipartParser(boundary: String(boundary).trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
        var fields: [String: String] = [:]
        var file: UploadedFile?
        var headers: [String: String] = [:]
        var part: [UInt8] = []
        parser.onHeader = { name, value in headers[name.lowercased()] = value }
        parser.onBody = { buffer in part += buffer.readBytes(length: buffer.readableBytes) ?? [] }
        parser.onPartComplete = {
            let disposition = headers["content-disposition"] ?? ""
            let name = Self.parameter("name", in: disposition)
            if let fileName = Self.parameter("filename", in: disposition) {
                if file == nil, !part.isEmpty || !fileName.isEmpty {
                    file = UploadedFile(name: fileName, mediaType: headers["content-type"] ?? "application/octet-stream", bytes: part)
                }
            } else if let name {
                fields[name] = String(decoding: part, as: UTF8.self)
            }
            headers = [:]
            part = []
        }
        do {
            try parser.execute(body)
        } catch {
            throw ConsoleError(code: "console.invalid_form", reason: "the upload could not be read as multipart/form-data", category: .invalidInput)
        }
        return (fields, file)
    }

    /// `name="value"` in a Content-Disposition header.
    static func parameter(_ key: String, in header: String) -> String? {
        for item in header.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let pair = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, pair[0].lowercased() == key else { continue }
            var value = pair[1]
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }
}
