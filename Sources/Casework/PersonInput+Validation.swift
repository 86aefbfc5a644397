public import AccordCore

extension PersonInput {
    /// Checks every field and returns the person's details, or throws one `CaseworkError`
    /// carrying a diagnostic per problem. `today` bounds dates of birth and issue dates.
    public func validated(today: CalendarDate) throws(CaseworkError) -> PersonDetails {
        var v = Validation()
        let given = v.text(name?.given, at: "name.given", maxLength: 120) ?? ""
        let family = v.text(name?.family, at: "name.family", required: true, maxLength: 120)
        if !PersonName.isLatin(given) || !PersonName.isLatin(family ?? "") {
            v.fail("casework.name_not_latin", "name must be given in Latin script; put other scripts in nativeNames", at: "name")
        }
        var natives: [ScriptedName] = []
        for (index, native) in (nativeNames ?? []).enumerated() {
            let path = "nativeNames[\(index)]"
            let script = v.parsed(native.script, at: "\(path).script", required: true, code: "casework.invalid_script",
                                  expected: "an ISO 15924 script code such as Arab or Cyrl") { raw -> String? in
                guard raw.count == 4, raw.allSatisfy({ $0.isASCII && $0.isLetter }) else { return nil }
                return raw.prefix(1).uppercased() + raw.dropFirst().lowercased()
            }
            let nativeGiven = v.text(native.given, at: "\(path).given", maxLength: 120) ?? ""
            let nativeFamily = v.text(native.family, at: "\(path).family", required: true, maxLength: 120)
            if let script, let nativeFamily {
                natives.append(ScriptedName(script: script, given: nativeGiven, family: nativeFamily))
            }
        }
        let dateOfBirth = v.partialDate(dateOfBirth, at: "dateOfBirth")
        if let dateOfBirth {
            if dateOfBirth.earliest > today {
                v.fail("casework.date_in_future", "dateOfBirth lies in the future", at: "dateOfBirth")
            } else if dateOfBirth.year < today.year - 130 {
                v.fail("casework.date_implausible", "dateOfBirth is more than 130 years ago", at: "dateOfBirth")
            }
        }
        let placeOfBirth = v.text(placeOfBirth, at: "placeOfBirth", maxLength: 120)
        let sex = v.parsed(sex, at: "sex", code: "casework.invalid_sex", expected: "F, M or X") { Sex(rawValue: $0) }
        let nationality = v.country(nationality, at: "nationality")
        var documents: [IdentityDocument] = []
        for (index, document) in (identityDocuments ?? []).enumerated() {
            if let parsed = document.validated(at: "identityDocuments[\(index)]", today: today, into: &v) {
                documents.append(parsed)
            }
        }
        try v.finish()
        return PersonDetails(
            name: PersonName(given: given, family: family ?? ""),
            nativeNames: natives,
            dateOfBirth: dateOfBirth,
            placeOfBirth: placeOfBirth,
            sex: sex ?? .unspecified,
            nationality: nationality,
            identityDocuments: documents
        )
    }
}

extension PersonInput {
    /// What can be read of an incomplete or partly wrong form, for search before create: the
    /// fields that validate, names as typed, document numbers whatever their kind or issuer.
    public func searchableDetails(today: CalendarDate) -> PersonDetails {
        var v = Validation()
        let dateOfBirth = v.partialDate(dateOfBirth, at: "dateOfBirth")
        let nationality = v.country(nationality, at: "nationality")
        let documents = (identityDocuments ?? []).compactMap { document -> IdentityDocument? in
            let number = TextFolding.documentNumber(document.number ?? "")
            guard (3...30).contains(number.count) else { return nil }
            return IdentityDocument(kind: document.kind.flatMap(IdentityDocument.Kind.init(rawValue:)) ?? .other, number: number,
                                    issuingCountry: document.issuingCountry.flatMap(CountryCode.init) ?? CountryCode("XXX")!)
        }
        return PersonDetails(
            name: PersonName(given: name?.given ?? "", family: name?.family ?? ""),
            nativeNames: (nativeNames ?? []).map { ScriptedName(script: $0.script ?? "", given: $0.given ?? "", family: $0.family ?? "") },
            dateOfBirth: dateOfBirth, placeOfBirth: nil, sex: sex.flatMap(Sex.init(rawValue:)) ?? .unspecified, nationality: nationality,
            identityDocuments: documents
        )
    }
}

extension IdentityDocumentInput {
    func validated(at path: String, today: CalendarDate, into v: inout Validation) -> IdentityDocument? {
        let kind = v.enumeration(kind, IdentityDocument.Kind.self, at: "\(path).kind", required: true, code: "casework.invalid_document_kind")
        let number = v.parsed(number, at: "\(path).number", required: true, code: "casework.invalid_document_number",
                              expected: "a document number of 3 to 30 letters and digits") { raw -> String? in
            let normalised = TextFolding.documentNumber(raw)
            return (3...30).contains(normalised.count) ? normalised : nil
        }
        let issuer = v.country(issuingCountry, at: "\(path).issuingCountry", required: true)
        let issued = v.calendarDate(issuedOn, at: "\(path).issuedOn")
        let expires = v.calendarDate(expiresOn, at: "\(path).expiresOn")
        if let issued, issued > today {
            v.fail("casework.date_in_future", "\(path).issuedOn lies in the future", at: "\(path).issuedOn")
        }
        if let issued, let expires, expires < issued {
            v.fail("casework.invalid_date_range", "\(path).expiresOn is before issuedOn", at: "\(path).expiresOn")
        }
        guard let kind, let number, let issuer else { return nil }
        return IdentityDocument(kind: kind, number: number, issuingCountry: issuer, issuedOn: issued, expiresOn: expires)
    }
}
