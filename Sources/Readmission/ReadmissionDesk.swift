public import AccordCore
public import Exchange
public import Foundation
import Logging

/// A node's readmission desk: both sides of the procedure. Every step is a message signed with
/// the node's key, written to the case history first and then handed to the hub, so nothing is
/// lost when the hub is unreachable; delivery and receipts are followed until they come back.
public struct ReadmissionDesk: Sendable {
    public let participant: ParticipantID
    public let signer: any MessageSigner
    public let store: any ReadmissionStore
    public let transport: any ReadmissionTransport
    public let profiles: AgreementProfiles
    public let registries: [any IdentityRegistry]
    /// The national case file every conversation lives in.
    public let caseFile: any ReadmissionCaseFile
    public let clock: any WallClock
    public let configuration: ReadmissionConfiguration
    let logger: Logger
    /// One action at a time per case in this process: two officers approving at once send one decision.
    let locks = CaseLocks()

    public init(
        signer: any MessageSigner, store: any ReadmissionStore, transport: any ReadmissionTransport, profiles: AgreementProfiles,
        caseFile: any ReadmissionCaseFile, registries: [any IdentityRegistry] = [], clock: any WallClock = SystemWallClock(), configuration: ReadmissionConfiguration = ReadmissionConfiguration(),
        logger: Logger = Logger(label: "accord.readmission")
    ) {
        self.participant = signer.participant
        self.signer = signer
        self.store = store
        self.transport = transport
        self.profiles = profiles
        self.registries = registries
        self.caseFile = caseFile
        self.clock = clock
        self.configuration = configuration
        self.logger = logger
    }

    // MARK: Reading

    /// A case with its clock.
    public struct View: Sendable {
        public let readmission: ReadmissionCase
        public let profile: AgreementProfile?
        public let clock: ReadmissionClock?
    }

    /// Every case (of `partners` only, when given), newest first; the read is audited (one search entry).
    public func cases(by actor: String, purpose: String? = nil, partners: Set<String>? = nil) async throws -> [View] {
        let views = try await allViews().filter { partners?.contains($0.readmission.partner.rawValue) ?? true }
        try await caseFile.recordRead(try await store.links().filter { link in views.contains { $0.readmission.id == link.key } }.map(\.value), list: true, by: actor, purpose: purpose)
        return views
    }

    /// One case; the read is audited against its case in the case file.
    public func view(_ id: ReadmissionCaseID, by actor: String, purpose: String? = nil) async throws -> View {
        let view = try await fold(id)
        if let link = try await store.link(of: id) { try await caseFile.recordRead([link], list: false, by: actor, purpose: purpose) }
        return view
    }

    /// The partner of a case, without its personal data (not an audited read): for access checks.
    public func partner(of id: ReadmissionCaseID) async throws -> ParticipantID {
        try await fold(id).readmission.partner
    }

    /// Where a case stands, without its personal data (not an audited read).
    public func status(of id: ReadmissionCaseID) async throws -> ReadmissionCase.Status {
        try await fold(id).readmission.status
    }

    /// Per-partner figures: counts and times only, no personal data (not a read of any case).
    public func statistics() async throws -> [PartnerStatistics] {
        PartnerStatistics.compute(try await allViews(), partners: partners())
    }

    /// The conversation a case of the case file is.
    public func conversation(ofCase caseID: String) async throws -> ReadmissionCaseID? {
        try await store.links().first { $0.value.caseID == caseID }?.key
    }

    /// Where the conversation lives in the case file.
    public func caseLink(of id: ReadmissionCaseID) async throws -> CaseFileLink? {
        try await store.link(of: id)
    }

    func allViews() async throws -> [View] {
        let grouped = Dictionary(grouping: try await store.allEvents(), by: \.caseID)
        let now = clock.now
        return grouped.values.compactMap { ReadmissionCase(events: $0) }
            .sorted { $0.openedAt > $1.openedAt }
            .map { view($0, now: now) }
    }

    /// The case as its events fold, unaudited: for the desk's own steps.
    func fold(_ id: ReadmissionCaseID) async throws -> View {
        guard let readmission = ReadmissionCase(events: try await store.events(of: id)) else { throw ReadmissionError.unknownCase(id.rawValue) }
        return view(readmission, now: clock.now)
    }

    func view(_ readmission: ReadmissionCase, now: Date) -> View {
        let profile = profiles.profile(readmission.application.agreement)
        return View(readmission: readmission, profile: profile, clock: profile.map { ReadmissionClock(of: readmission, profile: $0, now: now) })
    }

    /// The partners this installation has agreements with.
    public func partners() -> [(agreement: AgreementProfile, partner: AgreementProfile.Party)] {
        profiles.agreements(of: participant).compactMap { agreement in agreement.partner(of: participant).map { (agreement, $0) } }
    }

    /// The partners an application can be sent to now: agreements whose other party the
    /// federation carries messages to.
    public func reachablePartners() async -> [(agreement: AgreementProfile, partner: AgreementProfile.Party)] {
        var reachable: [(agreement: AgreementProfile, partner: AgreementProfile.Party)] = []
        for item in partners() where await transport.reaches(item.partner.participant) { reachable.append(item) }
        return reachable
    }

    // MARK: Requesting state

    /// Files a new application with the partner of `application.agreement`; returns the case.
    /// `person`: the case file's person the application is about (composed from their record);
    /// nil registers the person from the application.
    public func submitApplication(_ application: ReadmissionApplication, reference: String, person: String? = nil, by actor: String) async throws -> ReadmissionCaseID {
        guard let profile = profiles.profile(application.agreement), let partner = profile.partner(of: participant) else {
            throw ReadmissionError.unknownAgreement(application.agreement)
        }
        try check(application, profile: profile, partner: partner)
        let reference = reference.trimmingCharacters(in: .whitespaces)
        // One case per reference on this side: a partner cannot tell two applications apart by it.
        if try await store.allEvents().contains(where: { $0.direction == .sent && $0.reference.caseInsensitiveCompare(reference) == .orderedSame && $0.kind == MessageType.readmissionApplication.rawValue }) {
            throw ReadmissionError(code: "readmission.duplicate_reference", reason: "a case with the reference \(reference.prefix(64)) was already sent; give each application its own reference", category: .conflict)
        }
        let id = ReadmissionCaseID()
        let link = try await caseFile.open(id, record: application.person, person: person, title: "Readmission to \(partner.name) (\(reference))", by: actor)
        try await store.link(id, to: link)
        try await send(.readmissionApplication(application), caseID: id, reference: reference, partner: partner.participant, inReplyTo: nil, by: actor)
        return id
    }

    func check(_ application: ReadmissionApplication, profile: AgreementProfile, partner: AgreementProfile.Party) throws {
        if application.person.isProtected, application.person.linkedCountries.contains(partner.country.rawValue) {
            throw ReadmissionError(code: "readmission.protected_person", reason: "the person is under international protection: their data never goes to a state they are tied to by nationality, birth or a document", category: .forbidden)
        }
        if application.procedure == "accelerated", profile.acceleratedReplyLimit == nil {
            throw ReadmissionError.invalid("the agreement \(profile.id) has no accelerated procedure")
        }
        for item in application.evidence ?? [] {
            guard let strength = profile.strength(ofEvidence: item.kind) else {
                throw ReadmissionError.invalid("\(item.kind) is not evidence under \(profile.id); it lists \((profile.proofEvidence + profile.primaFacieEvidence).joined(separator: ", "))")
            }
            if strength != item.strength { throw ReadmissionError.invalid("\(item.kind) counts as \(strength) under \(profile.id), not \(item.strength)") }
        }
        if (application.evidence ?? []).isEmpty { throw ReadmissionError.invalid("an application needs at least one piece of evidence of nationality") }
    }

    public func revise(_ id: ReadmissionCaseID, application: ReadmissionApplication, reason: String, by actor: String) async throws {
        try await serialized(id) {
            let view = try await self.fold(id)
            try require(view, side: .requesting, action: "revising", allowed: { $0 == .rejected || $0.awaitsReply })
            guard let profile = view.profile, let partner = profile.partner(of: participant) else { throw ReadmissionError.unknownAgreement(view.readmission.application.agreement) }
            try check(application, profile: profile, partner: partner)
            let original = view.readmission.events.first?.messageID?.rawValue ?? ""
            try await reply(view, .readmissionRevision(ReadmissionRevision(revises: original, reason: reason, application: application)), by: actor)
        }
    }

    public func withdraw(_ id: ReadmissionCaseID, reason: String, by actor: String) async throws {
        try await serialized(id) {
            let view = try await self.fold(id)
            try require(view, side: .requesting, action: "withdrawing", allowed: { !$0.isClosed })
            try await reply(view, .withdrawal(Withdrawal(reason: reason)), by: actor)
        }
    }

    public func answerInformationRequest(_ id: ReadmissionCaseID, answers: [String], evidence: [Evidence] = [], by actor: String) async throws {
        try await serialized(id) {
            let view = try await self.fold(id)
            try require(view, side: .requesting, action: "answering an information request", allowed: { $0 == .informationRequested })
            try await reply(view, .informationResponse(InformationResponse(answers: answers, evidence: evidence.isEmpty ? nil : evidence)), by: actor)
        }
    }

    public func confirmInterview(_ id: ReadmissionCaseID, slot: String, by actor: String) async throws {
        try await serialized(id) {
            let view = try await self.fold(id)
            try require(view, side: .requesting, action: "confirming an interview", allowed: { $0 == .interviewProposed })
            guard view.readmission.interviewSlots.contains(slot), case .interviewProposal(let proposal)? = view.readmission.events.last(where: { $0.kind == MessageType.interviewProposal.rawValue })?.body else {
                throw ReadmissionError.invalid("\(slot) is not one of the proposed slots")
            }
            try await reply(view, .interviewConfirmation(InterviewConfirmation(mode: proposal.mode, slot: slot)), by: actor)
        }
    }

    /// Notifies the transfer. Departure must leave the agreement's notice period and fall in the transfer window.
    public func notifyTransfer(_ id: ReadmissionCaseID, notice: TransferNotice, by actor: String) async throws {
        try await serialized(id) {
            let view = try await self.fold(id)
            try require(view, side: .requesting, action: "notifying a transfer", allowed: { $0.isAccepted && $0 != .transferred })
            guard let profile = view.profile, let calendar = profile.party(view.readmission.partner)?.calendar, let departure = Timestamp.parse(notice.departure) else {
                throw ReadmissionError.invalid("departure must be a UTC time like 2026-03-02T09:30:00.000Z")
            }
            let earliest = calendar.add(profile.transferNotice, after: calendar.date(of: clock.now), rollForward: false)
            if calendar.date(of: departure) < earliest {
                throw ReadmissionError(code: "readmission.notice_too_short", reason: "\(profile.id) requires \(profile.transferNotice) notice: the earliest departure is \(earliest)")
            }
            if let deadline = view.clock?.transferDeadline, calendar.date(of: departure) > deadline {
                throw ReadmissionError(code: "readmission.transfer_window_closed", reason: "the transfer must take place by \(deadline) (\(profile.transferWindow) after acceptance)")
            }
            try await reply(view, .transferNotice(notice), by: actor)
        }
    }

    /// Confirms the notified transfer to the partner. `exitRecordedAt`: the border service
    /// recorded the person's exit then — proof that the transfer took place, even before the
    /// notified departure (an earlier flight); without it, only after the departure.
    public func confirmTransfer(_ id: ReadmissionCaseID, summary: String, exitRecordedAt: Date? = nil, by actor: String) async throws {
        try await serialized(id) {
            let view = try await self.fold(id)
            try require(view, side: .requesting, action: "confirming the transfer", allowed: { $0 == .transferNotified })
            guard view.readmission.travelDocument != nil else {
                throw ReadmissionError(code: "readmission.no_travel_document", reason: "the requested state has issued no travel document for this person yet", category: .conflict)
            }
            if exitRecordedAt == nil, let departure = view.readmission.transfer.flatMap({ Timestamp.parse($0.departure) }), clock.now < departure {
                throw ReadmissionError(code: "readmission.transfer_not_due", reason: "the notified departure is \(Timestamp.format(departure)); a transfer is confirmed after it", category: .conflict)
            }
            let summary = summary.trimmingCharacters(in: .whitespacesAndNewlines)
            try await reply(view, .caseUpdate(CaseUpdate(caseNumber: view.readmission.reference, status: "transfer_completed", summary: summary.isEmpty ? nil : summary)), by: actor)
        }
    }

    // MARK: Requested state

    /// Asks every identity registry about the person; each answer goes into the case history.
    /// The registries are asked without holding the case's lock (a slow registry never blocks
    /// other work on the case); the answers are recorded under it, if the case still awaits a reply.
    @discardableResult
    public func verifyIdentity(_ id: ReadmissionCaseID, by actor: String) async throws -> [IdentityMatch] {
        let before = try await fold(id)
        try require(before, side: .requested, action: "verifying identity", allowed: { $0.awaitsReply })
        var matches: [IdentityMatch] = []
        for registry in registries {
            var match = await registry.verify(before.readmission.application.person, by: actor, caseRef: try await caseLink(of: id)?.caseID)
            match.source = registry.name
            match.at = match.at ?? clock.now
            matches.append(match)
        }
        guard !matches.isEmpty else {
            throw ReadmissionError(code: "readmission.no_registries", reason: "this node reaches no national ID or civil registry (see adapters.directory)", category: .conflict)
        }
        try await serialized(id) {
            let view = try await self.fold(id)
            try require(view, side: .requested, action: "verifying identity", allowed: { $0.awaitsReply })
            for match in matches {
                try await store.append(local(view, .identityChecked, detail: match.recorded, by: actor))
            }
        }
        return matches
    }

    public func requestInformation(_ id: ReadmissionCaseID, questions: [String], by actor: String) async throws {
        try await serialized(id) {
            let view = try await self.fold(id)
            try require(view, side: .requested, action: "requesting information", allowed: { $0.awaitsReply && $0 != .informationRequested })
            let questions = questions.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
            guard !questions.isEmpty else { throw ReadmissionError.invalid("an information request needs at least one question") }
            try await reply(view, .informationRequest(InformationRequest(questions: questions, replyBy: nil)), by: actor)
        }
    }

    public func proposeInterview(_ id: ReadmissionCaseID, mode: String, slots: [String], location: String?, by actor: String) async throws {
        try await serialized(id) {
            let view = try await self.fold(id)
            try require(view, side: .requested, action: "proposing an interview", allowed: { $0.awaitsReply })
            guard !slots.isEmpty, slots.allSatisfy({ Timestamp.parse($0) != nil }) else { throw ReadmissionError.invalid("slots must be UTC times like 2026-03-02T09:30:00.000Z") }
            try await reply(view, .interviewProposal(InterviewProposal(mode: mode, slots: slots, location: location)), by: actor)
        }
    }

    /// Records the interview's outcome: the record is kept in this side's history and only its
    /// SHA-256 goes to the partner, so either side can later show the record matches.
    public func recordInterviewOutcome(_ id: ReadmissionCaseID, outcome: String, summary: String?, record: [UInt8], by actor: String) async throws {
        try await serialized(id) {
            let view = try await self.fold(id)
            try require(view, side: .requested, action: "recording an interview", allowed: { $0 == .interviewScheduled })
            guard !record.isEmpty else { throw ReadmissionError.invalid("the interview record is required: its SHA-256 is what the partner receives") }
            let digest = sha256Hex(record)
            // The record stays here, with the digest the partner will hold.
            try await store.append(local(view, .interviewRecorded, detail: "SHA-256 \(digest)\n\(String(decoding: record, as: UTF8.self))", by: actor))
            try await reply(view, .interviewOutcome(InterviewOutcome(outcome: outcome, summary: summary, recordDigest: digest)), by: actor)
        }
    }

    /// Claims the agreement's extension of the reply limit, with a justification.
    public func claimExtension(_ id: ReadmissionCaseID, justification: String, by actor: String) async throws {
        try await serialized(id) {
            let view = try await self.fold(id)
            try require(view, side: .requested, action: "claiming an extension", allowed: { $0.awaitsReply })
            guard view.profile?.extensionLimit != nil else { throw ReadmissionError.invalid("the agreement allows no extension") }
            guard view.readmission.extensionClaimed == nil else { throw ReadmissionError.invalid("the extension has already been claimed") }
            guard !justification.trimmingCharacters(in: .whitespaces).isEmpty else { throw ReadmissionError.invalid("an extension needs a justification") }
            try await reply(view, .caseUpdate(CaseUpdate(caseNumber: view.readmission.reference, status: "extension_claimed", summary: justification)), by: actor)
        }
    }

    /// The deciding officer's decision. With four-eyes it waits for a second officer's approval;
    /// otherwise it is signed and sent at once.
    public func decide(_ id: ReadmissionCaseID, outcome: String, reasons: [String], by actor: String) async throws {
        try await serialized(id) {
            let view = try await self.fold(id)
            try require(view, side: .requested, action: "deciding", allowed: { $0.awaitsReply })
            guard outcome == "accept" || outcome == "reject" else { throw ReadmissionError.invalid("the outcome is accept or reject") }
            let reasons = reasons.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
            if outcome == "reject" && reasons.isEmpty { throw ReadmissionError.invalid("a rejection states its reasons") }
            try requireBeforeLimit(view)
            let decision = Decision(outcome: outcome, reasons: reasons.isEmpty ? nil : reasons, decidedAt: Timestamp.format(clock.now), decidedBy: actor)
            if configuration.fourEyes {
                try await store.append(local(view, .decisionProposed, body: .decision(decision), detail: "\(outcome) proposed by \(actor), awaiting approval", by: actor))
            } else {
                try await reply(view, .decision(decision), by: actor)
            }
        }
    }

    /// A second officer approves the proposed decision: it is signed and sent naming both.
    public func approveDecision(_ id: ReadmissionCaseID, by approver: String) async throws {
        try await serialized(id) {
            let view = try await self.fold(id)
            try require(view, side: .requested, action: "approving a decision", allowed: { $0.awaitsReply })
            guard var decision = view.readmission.proposedDecision else { throw ReadmissionError.notNow("approving a decision", view.readmission.status) }
            guard decision.decidedBy != approver else {
                throw ReadmissionError(code: "readmission.four_eyes", reason: "the officer who proposed the decision cannot approve it", category: .forbidden)
            }
            try requireBeforeLimit(view)
            decision.approvedBy = approver
            decision.decidedAt = Timestamp.format(clock.now)
            try await reply(view, .decision(decision), by: approver)
        }
    }

    public func declineDecision(_ id: ReadmissionCaseID, reason: String, by approver: String) async throws {
        try await serialized(id) {
            let view = try await self.fold(id)
            guard let proposed = view.readmission.proposedDecision else { throw ReadmissionError.notNow("declining a decision", view.readmission.status) }
            guard proposed.decidedBy != approver else { throw ReadmissionError(code: "readmission.four_eyes", reason: "a second officer declines, not the proposer", category: .forbidden) }
            let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !reason.isEmpty else {
                throw ReadmissionError(code: "readmission.reason_required", reason: "say why the proposal goes back, so that the proposer can act on it")
            }
            try await store.append(local(view, .decisionDeclined, detail: "declined by \(approver): \(reason)", by: approver))
        }
    }

    public func issueTravelDocument(_ id: ReadmissionCaseID, document: TravelDocumentIssued, by actor: String) async throws {
        try await serialized(id) {
            let view = try await self.fold(id)
            try require(view, side: .requested, action: "issuing a travel document", allowed: { $0 == .accepted || $0 == .deemedAccepted })
            try await reply(view, .travelDocumentIssued(document), by: actor)
        }
    }

    func serialized<T: Sendable>(_ id: ReadmissionCaseID, _ body: () async throws -> T) async throws -> T {
        await locks.acquire(id)
        do {
            let result = try await body()
            await locks.release(id)
            return result
        } catch {
            await locks.release(id)
            throw error
        }
    }

    func requireBeforeLimit(_ view: View) throws {
        // ReadmissionClock says deemedAccepted once the limit has passed where silence means acceptance.
        if let clock = view.clock, let dueAt = clock.dueAt, clock.state == .deemedAccepted {
            throw ReadmissionError(code: "readmission.deadline_passed", reason: "the reply limit ended at \(Timestamp.format(dueAt)); silence counts as acceptance under \(view.profile?.id ?? "")")
        }
    }

    func require(_ view: View, side: ReadmissionCase.Role, action: String, allowed: (ReadmissionCase.Status) -> Bool) throws {
        guard view.readmission.role == side else { throw ReadmissionError.wrongSide(action) }
        guard allowed(view.readmission.status) else { throw ReadmissionError.notNow(action, view.readmission.status) }
    }

    func local(_ view: View, _ kind: ReadmissionEvent.LocalKind, body: MessageBody? = nil, detail: String, at: Date? = nil, dedup: String? = nil, by actor: String) -> ReadmissionEvent {
        ReadmissionEvent(caseID: view.readmission.id, reference: view.readmission.reference, partner: view.readmission.partner, direction: .local,
                         kind: kind.rawValue, body: body, detail: detail, actor: actor, at: at ?? clock.now, dedupKey: dedup)
    }

    // MARK: Sending

    func reply(_ view: View, _ body: MessageBody, by actor: String) async throws {
        let lastReceived = view.readmission.events.last { $0.direction == .received }?.messageID
        try await send(body, caseID: view.readmission.id, reference: view.readmission.reference, partner: view.readmission.partner, inReplyTo: lastReceived, by: actor)
    }

    /// Signs, records, then submits. A hub that cannot be reached leaves the message pending
    /// (submitted again by `followDeliveries`); a refusal marks it failed and is thrown.
    func send(_ body: MessageBody, caseID: ReadmissionCaseID, reference: String, partner: ParticipantID, inReplyTo: Message.ID?, by actor: String) async throws {
        let now = clock.now
        let message = CaseMessage(
            envelope: Envelope(conversationID: caseID, caseReference: reference, sender: participant, recipient: partner, messageType: body.type,
                               createdAt: now, expiresAt: now.addingTimeInterval(Double(configuration.messageValidityDays) * 86_400), inReplyTo: inReplyTo),
            body: body
        )
        let signed = try MessageCodec.sign(message, encoding: configuration.encoding, with: signer)
        let digest = sha256Hex(signed)
        let event = ReadmissionEvent(
            caseID: caseID, reference: reference, partner: partner, direction: .sent, kind: body.type.rawValue, messageID: message.envelope.messageID,
            body: body, actor: actor, at: message.envelope.createdAt, payload: signed, digest: digest, delivery: .pending
        )
        try await store.append(event)
        try await recordInCaseFile(event)
        try await submit(message.envelope.messageID, signed)
    }

    func submit(_ id: Message.ID, _ signed: [UInt8]) async throws {
        let result: SubmissionResult
        do {
            result = try await transport.submit(signed)
        } catch {
            logger.warning("the hub did not take message \(id) now; it will be submitted again: \(error)")
            return
        }
        switch result {
        case .accepted:
            try await store.updateDelivery(messageID: id, delivery: .queued, receipt: nil, receivedAt: nil, detail: nil)
        case .refused(let code, let message):
            try await store.updateDelivery(messageID: id, delivery: .failed, receipt: nil, receivedAt: nil, detail: "\(code): \(message)")
            throw ReadmissionError(code: "readmission.refused_by_hub", reason: "the hub refused the message (\(code)): \(message)", category: .conflict)
        }
    }

    // MARK: Receiving

    /// Takes a received message into its case: a new application opens the case (and registers
    /// the person) in the case file; every message is an event of the case's workflow. Taking
    /// the same message again changes nothing.
    public func receive(_ arrival: Arrival) async throws {
        let event = arrival.event
        try await serialized(event.caseID) {
            let link: CaseFileLink
            if let known = try await store.link(of: event.caseID) {
                link = known
            } else {
                guard case .readmissionApplication(let application)? = event.body else {
                    throw ReadmissionError(code: "readmission.unknown_case", reason: "a \(event.kind) for conversation \(event.caseID) arrived, but no application opened that case here", category: .notFound)
                }
                link = try await caseFile.open(event.caseID, record: application.person, person: nil,
                                               title: "Readmission request from \(event.partner) (\(event.reference))", by: event.actor)
                try await store.link(event.caseID, to: link)
            }
            try await store.append(event)
            // Again after a crash between the two: a workflow event its case has passed is ignored.
            try await recordInCaseFile(event, link: link)
        }
    }

    /// Takes what the inbox holds into the cases; returns how many arrivals were taken.
    @discardableResult
    public func takeArrivals(limit: Int = 200) async throws -> Int {
        let arrivals = try await transport.arrivals(limit: limit)
        for arrival in arrivals {
            let type = arrival.message.envelope.messageType
            guard type != .receipt && type != .error else {
                try await transport.taken(arrival, problem: "a \(type.rawValue) is not a case message")
                continue
            }
            do {
                try await receive(arrival)
                try await transport.taken(arrival, problem: nil)
            } catch let error as any AccordError where [.invalidInput, .unprocessable, .notFound, .gone, .forbidden].contains(error.category) {
                // It will never fit its case: kept in the inbox with the reason, for an operator.
                logger.warning("message \(arrival.message.envelope.messageID) from \(arrival.message.envelope.sender) was not taken into a case: \(error.code): \(error.reason)")
                try await transport.taken(arrival, problem: "\(error.code): \(error.reason)")
            }
        }
        return arrivals.count
    }

    /// The workflow events a readmission event is: the message itself and what it means for the
    /// procedure (a decision accepts or refuses, a completed transfer closes).
    public static func workflowEvents(of event: ReadmissionEvent) -> [String] {
        switch event.direction {
        case .local:
            return event.localKind == .deemedAccepted ? ["exchange.accepted"] : []
        case .sent, .received:
            var names = ["exchange.\(event.direction.rawValue).\(event.kind)"]
            switch event.body {
            case .decision(let decision)?: names.append(decision.outcome == "accept" ? "exchange.accepted" : "exchange.refused")
            case .caseUpdate(let update)? where update.status == "transfer_completed": names.append("exchange.transferred")
            default: break
            }
            return names
        }
    }

    func recordInCaseFile(_ event: ReadmissionEvent, link: CaseFileLink? = nil) async throws {
        let names = Self.workflowEvents(of: event)
        var resolved = link
        if resolved == nil { resolved = try await store.link(of: event.caseID) }
        guard !names.isEmpty, let link = resolved else { return }
        var fields: [String: String] = [:]
        if case .readmissionApplication(let application)? = event.body {
            fields = ["agreement": application.agreement, "partner": event.partner.rawValue, "reference": event.reference,
                      "side": event.direction == .sent ? "requesting" : "requested"]
        }
        for name in names {
            try await caseFile.record(name, on: link, fields: fields, by: event.direction == .local ? "system" : event.actor)
        }
    }

    // MARK: Background work

    /// Submits what is still pending and collects receipts. Returns how many messages changed.
    @discardableResult
    public func followDeliveries() async throws -> Int {
        var changed = 0
        for event in try await store.undelivered() {
            guard let id = event.messageID, let payload = event.payload else { continue }
            if event.delivery == .pending {
                try? await submit(id, payload)
                changed += 1
                continue
            }
            let tracking = try await transport.track(payload)
            guard tracking.delivery != event.delivery else { continue }
            try await store.updateDelivery(messageID: id, delivery: tracking.delivery, receipt: tracking.receipt, receivedAt: tracking.receivedAt, detail: tracking.detail)
            changed += 1
        }
        return changed
    }

    /// Applies the legal clocks at `now`: reminders and escalation before the limit, deemed
    /// acceptance (or a missed deadline) after it, an overdue transfer. Each is recorded once, at
    /// the instant the rule fixes, so both sides write the same history.
    @discardableResult
    public func applyClocks(now: Date? = nil) async throws -> [ReadmissionEvent] {
        let now = now ?? clock.now
        var recorded: [ReadmissionEvent] = []
        for view in try await allViews() {
            guard let profile = view.profile else { continue }
            let clock = ReadmissionClock(of: view.readmission, profile: profile, now: now)
            guard let due = clock.dueDate, let dueAt = clock.dueAt else { continue }
            let requestedCalendar = clock.calendar
            var candidates: [ReadmissionEvent] = []
            if view.readmission.status.awaitsReply {
                if view.readmission.role == .requested {
                    for day in clock.reminderDates where requestedCalendar.start(of: day) <= now && day < due {
                        candidates.append(local(view, .reminder, detail: "reply due by \(due) (\(clock.limit)); \(requestedCalendar.workingDays(from: day, to: due)) working days left",
                                                at: requestedCalendar.start(of: day), dedup: "reminder:\(due):\(day)", by: "clock"))
                    }
                    if let escalation = clock.escalationDate, requestedCalendar.start(of: escalation) <= now {
                        candidates.append(local(view, .escalated, detail: "no reply yet; due by \(due): escalated to a supervisor", at: requestedCalendar.start(of: escalation),
                                                dedup: "escalated:\(due)", by: "clock"))
                    }
                }
                if now >= dueAt {
                    if profile.silenceMeansAcceptance {
                        candidates.append(local(view, .deemedAccepted, detail: "no reply by \(due) (\(clock.limit) under \(profile.id)): accepted by silence",
                                                at: dueAt, dedup: "deemed:\(due)", by: "clock"))
                    } else {
                        candidates.append(local(view, .deadlineMissed, detail: "no reply by \(due) (\(clock.limit) under \(profile.id))", at: dueAt, dedup: "missed:\(due)", by: "clock"))
                    }
                }
            } else if view.readmission.status.isAccepted, view.readmission.status != .transferred, let deadline = clock.transferDeadline {
                let end = requestedCalendar.end(of: deadline)
                if now >= end {
                    candidates.append(local(view, .transferOverdue, detail: "the transfer window ended on \(deadline)", at: end, dedup: "transfer:\(deadline)", by: "clock"))
                }
            }
            for event in candidates where try await store.append(event) {
                recorded.append(event)
                try await recordInCaseFile(event)
            }
        }
        return recorded
    }

    /// Follows deliveries every `interval` and applies the clocks every `clocks` (they move by
    /// the day; folding every case each few seconds would be wasted work) until cancelled.
    public func run(every interval: Duration = .seconds(3), clocks: Duration = .seconds(60)) async {
        var lastClocks: ContinuousClock.Instant?
        while !Task.isCancelled {
            do {
                try await takeArrivals()
                try await followDeliveries()
                if lastClocks.map({ $0.duration(to: .now) >= clocks }) ?? true {
                    try await applyClocks()
                    lastClocks = .now
                }
            } catch {
                logger.warning("readmission background pass failed: \(error)")
            }
            await transport.waitForArrivals(timeout: interval)
        }
    }
}
