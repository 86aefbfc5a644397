public import AccordCore
public import Identity
import Foundation

/// The use cases of national case management. Validates input, enforces the rules of the domain
/// and hands persistence to the repositories. Knows nothing of HTTP, SQL or files.
public struct CaseworkService: Sendable {
    public let persons: any PersonRepository
    public let cases: any CaseRepository
    public let documents: any DocumentRepository
    public let blobs: any BlobStore
    /// Every read and write of personal data is recorded here before its result is returned.
    public let audit: any AuditTrail
    public let clock: any WallClock
    public let ids: any IdentifierGenerator
    public let documentPolicy: DocumentPolicy
    /// Who may do what (checked for callers that carry role grants).
    public let policy: AccessPolicy
    public let tasks: any TaskRepository
    public let decisions: any DecisionRepository
    /// The workflows of Profiles/workflows and the offices' calendars.
    public let engine: WorkflowEngine
    /// Signs approved decisions with the node's key.
    public let signer: any DecisionSigner
    /// The accounts officers are assigned from (nil: assignments are not checked, for domain tests).
    public let users: (any UserRepository)?
    public let appointments: any AppointmentRepository
    /// National systems registrations are checked against (nil: none reached).
    public let checker: (any PersonChecker)?
    /// Where their answers are kept (nil: checks are not kept, for domain tests).
    public let personChecks: (any PersonCheckRepository)?

    public init(
        persons: any PersonRepository, cases: any CaseRepository, documents: any DocumentRepository, blobs: any BlobStore,
        audit: any AuditTrail, tasks: any TaskRepository, decisions: any DecisionRepository, appointments: any AppointmentRepository, engine: WorkflowEngine,
        signer: any DecisionSigner, users: (any UserRepository)? = nil,
        clock: any WallClock = SystemWallClock(), ids: any IdentifierGenerator = RandomIdentifierGenerator(),
        documentPolicy: DocumentPolicy = DocumentPolicy(), policy: AccessPolicy = .standard,
        checker: (any PersonChecker)? = nil, personChecks: (any PersonCheckRepository)? = nil
    ) {
        self.checker = checker
        self.personChecks = personChecks
        self.tasks = tasks
        self.decisions = decisions
        self.appointments = appointments
        self.engine = engine
        self.signer = signer
        self.users = users
        self.persons = persons
        self.cases = cases
        self.documents = documents
        self.blobs = blobs
        self.audit = audit
        self.clock = clock
        self.ids = ids
        self.documentPolicy = documentPolicy
        self.policy = policy
    }

    // MARK: Access control

    /// Checks `permission` on any of `resources` (none: the record is bound to no office). A
    /// refusal is audited and thrown as `identity.forbidden` or `identity.purpose_required`.
    func authorize(
        _ caller: Caller, _ permission: Permission, _ resources: [AccessPolicy.Resource],
        _ action: AuditEvent.Action, _ type: String, _ reference: String, personal: Bool = false
    ) async throws {
        guard let grants = caller.grants else { return }
        let candidates = resources.isEmpty ? [AccessPolicy.Resource()] : resources
        var refusal: IdentityError?
        if !(caller.scopes?.contains(permission) ?? true) || !candidates.contains(where: { policy.allows(grants, permission, on: $0) }) {
            refusal = .forbidden
        } else if personal, policy.purposeRequired(grants), (caller.purpose ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            refusal = .purposeRequired
        }
        if let refusal {
            try await audit.record(caller.event(action, type, reference, outcome: .denied))
            throw refusal
        }
    }

    func resource(_ record: Case) -> AccessPolicy.Resource {
        AccessPolicy.Resource(office: record.office.rawValue, caseType: record.type.rawValue)
    }

    /// A person is seen through the cases they are in.
    func resources(ofPerson id: Person.ID) async throws -> [AccessPolicy.Resource] {
        try await cases.caseResources(ofPersons: [id])[id, default: []].map { AccessPolicy.Resource(office: $0.office.rawValue, caseType: $0.type.rawValue) }
    }

    /// Those of `ids` the caller may see (through the cases they are in), in one query.
    private func visible(_ caller: Caller, persons ids: [Person.ID]) async throws -> Set<Person.ID> {
        guard let grants = caller.grants else { return Set(ids) }
        guard caller.scopes?.contains(.viewPerson) ?? true else { return [] }
        let byPerson = try await cases.caseResources(ofPersons: ids)
        return Set(ids.filter { id in
            let resources = byPerson[id, default: []].map { AccessPolicy.Resource(office: $0.office.rawValue, caseType: $0.type.rawValue) }
            return (resources.isEmpty ? [AccessPolicy.Resource()] : resources).contains { policy.allows(grants, .viewPerson, on: $0) }
        })
    }

    var today: CalendarDate { CalendarDate(clock.now) }

    /// Now, at the resolution times are stored at.
    var now: Date { clock.now.truncatedToMilliseconds }

    func record(_ action: CaseHistoryEntry.Action, _ summary: String, by actor: UserID, at: Date) -> HistoryRecord {
        HistoryRecord(id: .init(ids.next()), at: at, actor: actor, action: action, summary: summary)
    }

    // MARK: Persons

    public func registerPerson(_ input: PersonInput, by caller: Caller) async throws -> Person {
        let details = try input.validated(today: today)
        let now = self.now
        let person = Person(id: .init(ids.next()), version: 1, createdAt: now, updatedAt: now, details: details)
        try await authorize(caller, .editPerson, [], .create, "person", person.id.rawValue)
        try await persons.insert(person)
        try await audit.record(caller.event(.create, "person", person.id.rawValue))
        // Documents against the police databases, the border history: after the record is
        // stored, outside any transaction; a system that cannot be asked is "not verified".
        if checker != nil { _ = try await recordChecks(of: person, by: caller) }
        return person
    }

    public func updatePerson(_ id: Person.ID, _ input: PersonInput, expectedVersion: Int?, by caller: Caller) async throws -> Person {
        guard let expectedVersion else {
            throw CaseworkError.invalid([Diagnostic(code: "casework.missing_field", message: "expectedVersion is required", path: "expectedVersion")])
        }
        try await authorize(caller, .editPerson, try await resources(ofPerson: id), .update, "person", id.rawValue)
        var person = try await load(id)
        let details = try input.validated(today: today)
        guard person.version == expectedVersion else {
            throw CaseworkError.versionConflict(expected: expectedVersion, actual: person.version)
        }
        person.details = details
        person.version = expectedVersion + 1
        person.updatedAt = now
        try await persons.update(person, expectedVersion: expectedVersion)
        try await audit.record(caller.event(.update, "person", person.id.rawValue))
        return person
    }

    public func person(_ id: Person.ID, by caller: Caller) async throws -> Person {
        try await authorize(caller, .viewPerson, try await resources(ofPerson: id), .read, "person", id.rawValue, personal: true)
        let person = try await load(id)
        try await audit.record(caller.event(.read, "person", id.rawValue))
        return person
    }

    func load(_ id: Person.ID) async throws -> Person {
        guard let person = try await persons.person(id) else { throw CaseworkError.personNotFound(id.rawValue) }
        return person
    }

    /// Erases a person's data everywhere by destroying its data key (crypto-shredding): names,
    /// documents, notes and history summaries sealed under it become unrecoverable; references
    /// and the audit trail stay intact.
    public func erasePerson(_ id: Person.ID, by caller: Caller) async throws {
        try await authorize(caller, .erasePerson, [], .erase, "person", id.rawValue, personal: true)
        guard try await persons.erase(id) else {
            _ = try await load(id)
            throw CaseworkError.personErased(id.rawValue)
        }
        try await audit.record(caller.event(.erase, "person", id.rawValue))
    }

    /// The persons among `ids` that exist, are not erased and the caller may see.
    public func persons(_ ids: [Person.ID], by caller: Caller) async throws -> [Person.ID: Person] {
        var found = try await persons.persons(ids)
        let allowed = try await visible(caller, persons: Array(found.keys))
        for id in found.keys where !allowed.contains(id) { found[id] = nil }
        try await audit.record(found.keys.sorted().map { caller.event(.read, "person", $0.rawValue) })
        return found
    }

    /// Searches by name (case- and accent-insensitive, every word must match) and/or by an
    /// identity document number (exact, ignoring spaces and case).
    public func searchPersons(name: String?, documentNumber: String?, limit: Int = 50, by caller: Caller) async throws -> [Person] {
        let tokens = TextFolding.tokens(name ?? "")
        let number = documentNumber.map(TextFolding.documentNumber).flatMap { $0.isEmpty ? nil : $0 }
        // A name of no letters or digits names nobody: nothing is found (never "everyone").
        if let name, !name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, tokens.isEmpty, documentNumber?.isEmpty ?? true {
            try await authorize(caller, .viewPerson, [], .search, "person", "query", personal: true)
            try await audit.record([caller.event(.search, "person", "query")])
            return []
        }
        if let documentNumber, !documentNumber.isEmpty, number == nil {
            throw CaseworkError.invalid([Diagnostic(code: "casework.invalid_document_number", message: "documentNumber: give at least one letter A–Z or digit", path: "documentNumber")])
        }
        // A name given but empty is a mistake, not "any name", even beside a document number.
        if let name, name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, !(documentNumber ?? "").isEmpty {
            throw CaseworkError.invalid([Diagnostic(code: "casework.invalid_name", message: "name is empty: leave it out or give a name", path: "name")])
        }
        guard !tokens.isEmpty || number != nil else {
            throw CaseworkError(
                code: "casework.search_criteria_missing",
                reason: "give a name or a document number to search for",
                category: .invalidInput
            )
        }
        guard tokens.count <= 8 else {
            throw CaseworkError(code: "casework.search_too_broad", reason: "a name search takes at most 8 words", category: .unprocessable)
        }
        try await authorize(caller, .viewPerson, [], .search, "person", "query", personal: true)
        var found = try await persons.search(PersonQuery(nameTokens: tokens, documentNumber: number, limit: min(max(limit, 1), 200)))
        var visible: [Person] = []
        let allowed = try await self.visible(caller, persons: found.map(\.id))
        for person in found where allowed.contains(person.id) { visible.append(person) }
        found = visible
        try await audit.record([caller.event(.search, "person", "query")] + found.map { caller.event(.read, "person", $0.id.rawValue) })
        return found
    }

    /// Search before create: persons already registered who may be the one `input` describes,
    /// with a score and its reasons, strongest first (those under `DuplicateScoring.threshold`
    /// left out). Candidates come from keyed indexes; only they are opened and scored.
    /// `lenient`: a form still being filled in is searched on what it gives (`searchableDetails`)
    /// instead of being refused.
    public func likelyDuplicates(_ input: PersonInput, limit: Int = 10, lenient: Bool = false, by caller: Caller) async throws -> [DuplicateCandidate] {
        let details = lenient ? ((try? input.validated(today: today)) ?? input.searchableDetails(today: today)) : try input.validated(today: today)
        try await authorize(caller, .viewPerson, [], .search, "person", "duplicates", personal: true)
        var scored: [DuplicateCandidate] = []
        let candidates = try await persons.duplicateCandidates(of: details, limit: 30)
        let allowed = try await visible(caller, persons: candidates.map(\.id))
        for person in candidates where allowed.contains(person.id) {
            let (score, reasons) = DuplicateScoring.score(person.details, against: details)
            if score >= DuplicateScoring.threshold { scored.append(DuplicateCandidate(person: person, score: score, reasons: reasons)) }
        }
        scored.sort { ($0.score, $0.person.createdAt) > ($1.score, $1.person.createdAt) }
        let shown = Array(scored.prefix(min(max(limit, 1), 50)))
        try await audit.record([caller.event(.search, "person", "duplicates")] + shown.map { caller.event(.read, "person", $0.person.id.rawValue) })
        return shown
    }

    // MARK: Cases

    public func openCase(_ input: CaseInput, by caller: Caller) async throws -> Case {
        var v = Validation()
        let type = v.enumeration(input.type, CaseType.self, at: "type", required: true, code: "casework.invalid_case_type")
        let office = v.parsed(input.office, at: "office", required: true, code: "casework.invalid_office",
                              expected: "an office code (2–24 of A–Z, 0–9, -)", OfficeCode.init)
        let officer = v.parsed(input.assignedOfficer, at: "assignedOfficer", code: "casework.invalid_user", expected: "a user name", UserID.init)
        let title = v.text(input.title, at: "title", maxLength: 200)
        let principal = v.parsed(input.principalPersonID, at: "principalPersonID", required: true, code: "casework.invalid_id",
                                 expected: "a person ID", Person.ID.init)
        var parties: [CaseParty] = principal.map { [CaseParty(personID: $0, role: .principal)] } ?? []
        for (index, party) in (input.parties ?? []).enumerated() {
            if let parsed = party.validated(at: "parties[\(index)]", into: &v) {
                if parsed.role == .principal {
                    v.fail("casework.invalid_role", "the principal is given by principalPersonID", at: "parties[\(index)].role")
                } else if parties.contains(where: { $0.personID == parsed.personID && $0.role == parsed.role }) {
                    v.fail("casework.person_already_linked", "the same person is listed twice in the same role", at: "parties[\(index)]")
                } else {
                    parties.append(parsed)
                }
            }
        }
        try v.finish()
        try await authorize(caller, .editCase, [AccessPolicy.Resource(office: office!.rawValue, caseType: type!.rawValue)], .create, "case", "new")
        try await requireExisting(parties)
        if let officer { try await requireOfficer(officer, office: office!, caseType: type!, at: "assignedOfficer") }
        guard let workflow = engine.catalog.current(type!) else { throw CaseworkError.noWorkflow(type!) }
        let now = self.now
        let day = engine.day(of: now, at: office!)
        let initial = workflow.state(workflow.initial)
        let draft = CaseDraft(
            id: .init(ids.next()), type: type!, year: today.year, state: workflow.initial, workflowVersion: workflow.version,
            deadline: initial.flatMap { engine.deadline(of: $0, enteredOn: day, at: office!) }, office: office!, assignedOfficer: officer,
            title: title, parties: parties, openedAt: now
        )
        let change = CaseChange(
            events: [CaseEvent(id: .init(ids.next()), caseID: draft.id, name: "entered.\(workflow.initial)", at: now, actor: caller.user, source: "open")],
            nextTimer: engine.timers(in: workflow, state: workflow.initial, deadline: draft.deadline, at: office!).first?.on
        )
        let opened = try await cases.open(draft, history: record(.caseOpened, "\(type!.label) case opened at \(office!) (workflow version \(workflow.version))", by: caller.user, at: now), change: change)
        try await audit.record(caller.event(.create, "case", opened.id.rawValue))
        // A police hit recorded on the principal before the case existed reaches its workflow now.
        if let principal, let hit = try await personChecks?.checks(of: principal, limit: 50).first(where: { $0.workflowEvent != nil }), let event = hit.workflowEvent {
            return try await react(to: event, on: opened.id, summary: "\(hit.source): \(hit.detail)") ?? opened
        }
        return opened
    }

    /// Every referenced person must exist; reports all missing ones.
    private func requireExisting(_ parties: [CaseParty]) async throws {
        let found = try await persons.persons(parties.map(\.personID))
        var v = Validation()
        for (index, party) in parties.enumerated() where found[party.personID] == nil {
            v.fail("casework.unknown_person", "no person with ID \(party.personID)", at: index == 0 ? "principalPersonID" : "parties[\(index - 1)].personID")
        }
        // A reference to a person who is not there: not found (404), as a read of them would be.
        if let first = v.diagnostics.first {
            throw CaseworkError(code: first.code, reason: first.message, category: .notFound, diagnostics: v.diagnostics)
        }
    }

    public func caseRecord(_ number: CaseNumber, by caller: Caller) async throws -> Case {
        let found = try await load(number)
        try await authorize(caller, .viewCase, [resource(found)], .read, "case", found.id.rawValue, personal: true)
        try await audit.record(caller.event(.read, "case", found.id.rawValue))
        return found
    }

    func load(_ number: CaseNumber) async throws -> Case {
        guard let found = try await cases.case(number: number) else { throw CaseworkError.caseNotFound(number.text) }
        return found
    }

    /// Lists only the cases the caller may view.
    public func listCases(_ filter: CaseFilter, by caller: Caller) async throws -> CasePage {
        var filter = filter
        if let grants = caller.grants {
            filter.access = (caller.scopes?.contains(.viewCase) ?? true) ? policy.clauses(grants, .viewCase) : []
        }
        let page = try await cases.list(filter)
        try await audit.record(caller.event(.search, "case", "list"))
        return page
    }

    public func offices() async throws -> [OfficeCode] {
        try await cases.offices()
    }

    public func updateCase(_ number: CaseNumber, _ input: CaseUpdateInput, by caller: Caller) async throws -> Case {
        var v = Validation()
        if input.expectedVersion == nil { v.fail("casework.missing_field", "expectedVersion is required", at: "expectedVersion") }
        let office = v.parsed(input.office, at: "office", code: "casework.invalid_office", expected: "an office code", OfficeCode.init)
        let unassign = input.assignedOfficer == ""
        let officer = unassign ? nil : v.parsed(input.assignedOfficer, at: "assignedOfficer", code: "casework.invalid_user", expected: "a user name", UserID.init)
        let title = v.text(input.title, at: "title", maxLength: 200)
        try v.finish()

        var current = try await load(number)
        try await authorize(caller, .editCase, [resource(current)], .update, "case", current.id.rawValue)
        if office != nil || input.assignedOfficer != nil {
            try await authorize(caller, .reassign, [resource(current)], .update, "case", current.id.rawValue)
        }
        let expected = input.expectedVersion!
        guard current.version == expected else { throw CaseworkError.versionConflict(expected: expected, actual: current.version) }
        if let officer, officer != current.assignedOfficer {
            try await requireOfficer(officer, office: office ?? current.office, caseType: current.type, at: "assignedOfficer")
        }
        let now = self.now
        var history: [HistoryRecord] = []
        if let office, office != current.office {
            history.append(record(.assignmentChanged, "Office: \(current.office) → \(office)", by: caller.user, at: now))
            current.office = office
        }
        if unassign || (officer != nil && officer != current.assignedOfficer) {
            let from = current.assignedOfficer?.rawValue ?? "nobody"
            let to = officer?.rawValue ?? "nobody"
            if from != to {
                history.append(record(.assignmentChanged, "Officer: \(from) → \(to)", by: caller.user, at: now))
                current.assignedOfficer = officer
            }
        }
        if let title, title != current.title {
            history.append(record(.detailsChanged, "Title changed to “\(title)”", by: caller.user, at: now))
            current.title = title
        }
        guard !history.isEmpty else { return current }
        current.updatedAt = now
        let updated = try await cases.update(current, expectedVersion: expected, history: history)
        try await audit.record(caller.event(.update, "case", updated.id.rawValue))
        return updated
    }

    public func linkPerson(_ number: CaseNumber, _ input: PartyInput, by caller: Caller) async throws -> Case {
        var v = Validation()
        let party = input.validated(at: "", into: &v)
        if party?.role == .principal {
            v.fail("casework.invalid_role", "a case has exactly one principal, set when it is opened", at: "role")
        }
        try v.finish()
        var current = try await load(number)
        try await authorize(caller, .editCase, [resource(current)], .update, "case", current.id.rawValue)
        if let expected = input.expectedVersion, expected != current.version {
            throw CaseworkError.versionConflict(expected: expected, actual: current.version)
        }
        guard let party else { return current }
        guard !current.parties.contains(where: { $0.personID == party.personID && $0.role == party.role }) else {
            throw CaseworkError.personAlreadyLinked(party.personID.rawValue, role: party.role)
        }
        let person = try await self.load(party.personID)
        let expected = current.version
        current.parties.append(party)
        current.updatedAt = now
        let summary = "\(person.displayName) linked as \(party.role.label.lowercased())" + (party.relationship.map { " (\($0))" } ?? "")
        let updated = try await cases.update(current, expectedVersion: expected, history: [record(.personLinked, summary, by: caller.user, at: current.updatedAt)])
        try await audit.record([caller.event(.update, "case", updated.id.rawValue), caller.event(.read, "person", party.personID.rawValue)])
        return updated
    }

    // MARK: Notes and history

    public func addNote(_ number: CaseNumber, _ input: NoteInput, by caller: Caller) async throws -> CaseNote {
        var v = Validation()
        let text = v.text(input.text, at: "text", required: true, maxLength: CaseNote.maximumLength)
        let recipient = v.parsed(input.to.flatMap { $0.isEmpty ? nil : $0 }, at: "to", code: "casework.invalid_user", expected: "a user name", UserID.init)
        try v.finish()
        let target = try await load(number)
        try await authorize(caller, .addNote, [resource(target)], .create, "case_note", target.id.rawValue)
        if let recipient { try await requireOfficer(recipient, office: target.office, caseType: target.type, at: "to") }
        let now = self.now
        let note = CaseNote(id: .init(ids.next()), caseID: target.id, author: caller.user, at: now, text: text!, recipient: recipient)
        let excerpt = text!.count > 60 ? String(text!.prefix(60)) + "…" : text!
        let summary = recipient.map { "Message to \($0): \(excerpt)" } ?? "Note: \(excerpt)"
        try await cases.addNote(note, history: record(.noteAdded, summary, by: caller.user, at: now))
        try await audit.record(caller.event(.create, "case_note", note.id.rawValue))
        return note
    }

    /// The case's notes and messages; the caller's unread messages on it count as read now.
    public func notes(_ number: CaseNumber, by caller: Caller) async throws -> [CaseNote] {
        let now = self.now
        return try await readAudited(number, "case_notes", by: caller) { id in
            let notes = try await cases.notes(of: id)
            if notes.contains(where: { $0.recipient == caller.user && $0.readAt == nil }) {
                try await cases.markMessagesRead(on: id, recipient: caller.user, at: now)
            }
            return notes
        }
    }

    /// Messages to the caller not read yet (which case, from whom, when).
    public func unreadMessages(by caller: Caller, limit: Int = 50) async throws -> [(id: CaseNote.ID, caseNumber: CaseNumber, author: UserID, at: Date)] {
        try await cases.unreadMessages(for: caller.user, limit: limit)
    }

    public func history(_ number: CaseNumber, by caller: Caller) async throws -> [CaseHistoryEntry] {
        try await readAudited(number, "case_history", by: caller) { try await cases.history(of: $0) }
    }

    /// Reads something of a case and records the read before returning it.
    func readAudited<T>(_ number: CaseNumber, _ kind: String, by caller: Caller, _ read: (Case.ID) async throws -> T) async throws -> T {
        let target = try await load(number)
        try await authorize(caller, .viewCase, [resource(target)], .read, kind, target.id.rawValue, personal: true)
        let result = try await read(target.id)
        try await audit.record(caller.event(.read, kind, target.id.rawValue))
        return result
    }

    // MARK: Documents

    /// Checks the upload against the document policy and its metadata, stores the bytes under
    /// their digest, then the record and its history entry in one transaction. If the record
    /// cannot be written, the blob stays as an unreferenced (harmless, deduplicated) file.
    public func attachDocument(
        _ number: CaseNumber, metadata: DocumentMetadataInput, mediaType: String, bytes: [UInt8], by caller: Caller
    ) async throws -> CaseDocument {
        var v = Validation()
        let kind = v.enumeration(metadata.kind, CaseDocument.Kind.self, at: "kind", required: true, code: "casework.invalid_document_kind")
        let title = v.text(metadata.title, at: "title", maxLength: 200)
        let fileName = v.text(metadata.fileName, at: "fileName", maxLength: 255)
        let personID = v.parsed(metadata.personID, at: "personID", code: "casework.invalid_id", expected: "a person ID", Person.ID.init)
        let issuer = v.country(metadata.issuingCountry, at: "issuingCountry")
        let documentNumber = v.parsed(metadata.documentNumber, at: "documentNumber", code: "casework.invalid_document_number",
                                      expected: "a document number of 3 to 30 letters and digits") { raw -> String? in
            let normalised = TextFolding.documentNumber(raw)
            return (3...30).contains(normalised.count) ? normalised : nil
        }
        let validFrom = v.calendarDate(metadata.validFrom, at: "validFrom")
        let validUntil = v.calendarDate(metadata.validUntil, at: "validUntil")
        if let validFrom, let validUntil, validUntil < validFrom {
            v.fail("casework.invalid_date_range", "validUntil is before validFrom", at: "validUntil")
        }
        try v.finish()
        let accepted = try documentPolicy.check(mediaType: mediaType, bytes: bytes)
        let target = try await load(number)
        try await authorize(caller, .attachDocument, [resource(target)], .create, "document", target.id.rawValue)
        if let personID, !target.parties.contains(where: { $0.personID == personID }) {
            throw CaseworkError.invalid([Diagnostic(code: "casework.person_not_in_case", message: "person \(personID) is not a party of this case", path: "personID")])
        }
        let digest = try await blobs.put(bytes, owner: personID ?? target.principal!)
        let now = self.now
        let document = CaseDocument(
            id: .init(ids.next()), caseID: target.id, personID: personID, kind: kind!, title: title, fileName: fileName,
            issuingCountry: issuer, documentNumber: documentNumber, validFrom: validFrom, validUntil: validUntil,
            mediaType: accepted, byteCount: bytes.count, digest: digest, uploadedAt: now, uploadedBy: caller.user
        )
        let label = fileName ?? title ?? kind!.rawValue
        try await documents.attach(document, history: record(.documentAttached, "Document attached: \(label) (\(kind!.rawValue))", by: caller.user, at: now))
        try await audit.record(caller.event(.create, "document", document.id.rawValue))
        return document
    }

    public func documents(_ number: CaseNumber, by caller: Caller) async throws -> [CaseDocument] {
        try await readAudited(number, "case_documents", by: caller) { try await documents.documents(of: $0) }
    }

    public func document(_ id: CaseDocument.ID, by caller: Caller) async throws -> CaseDocument {
        guard let document = try await documents.document(id) else { throw CaseworkError.documentNotFound(id.rawValue) }
        guard let owningCase = try await cases.case(document.caseID) else { throw CaseworkError.caseNotFound(document.caseID.rawValue) }
        try await authorize(caller, .viewCase, [resource(owningCase)], .read, "document", id.rawValue, personal: true)
        try await audit.record(caller.event(.read, "document", id.rawValue))
        return document
    }

    public func documentContent(_ id: CaseDocument.ID, by caller: Caller) async throws -> (CaseDocument, [UInt8]) {
        guard let document = try await documents.document(id) else { throw CaseworkError.documentNotFound(id.rawValue) }
        guard let owningCase = try await cases.case(document.caseID) else { throw CaseworkError.caseNotFound(document.caseID.rawValue) }
        try await authorize(caller, .viewCase, [resource(owningCase)], .read, "document", id.rawValue, personal: true)
        guard let owner = document.personID ?? owningCase.principal else { throw CaseworkError.caseNotFound(document.caseID.rawValue) }
        guard let bytes = try await blobs.get(document.digest, owner: owner) else { throw CaseworkError.blobMissing(document.digest.hex) }
        try await audit.record(caller.event(.read, "document_content", id.rawValue))
        return (document, bytes)
    }
}

extension PartyInput {
    func validated(at prefix: String, into v: inout Validation) -> CaseParty? {
        let path = prefix.isEmpty ? "" : "\(prefix)."
        let personID = v.parsed(personID, at: "\(path)personID", required: true, code: "casework.invalid_id", expected: "a person ID", Person.ID.init)
        let role = v.enumeration(role, CaseParty.Role.self, at: "\(path)role", required: true, code: "casework.invalid_role")
        let relationship = v.text(relationship, at: "\(path)relationship", maxLength: 60)
        guard let personID, let role else { return nil }
        return CaseParty(personID: personID, role: role, relationship: relationship)
    }
}
