import AccordCore
public import Casework
import Foundation
public import Hummingbird

/// Transitions, four-eyes refusals, tasks, decisions and case events.
extension CaseworkAPI {
    func registerWorkflow<Context: RequestContext>(on api: RouterGroup<Context>) {
        api.get("cases/{caseNumber}/transitions") { request, context in
            try JSONResponse.make(TransitionList(transitions: try await service.transitions(context.parameters.caseNumber(), by: try await caller(request))))
        }
        api.post("cases/{caseNumber}/transitions") { request, context in
            let number = try context.parameters.caseNumber()
            let input = try await request.decodeJSON(TransitionInput.self, context: context)
            return try JSONResponse.make(try await service.takeTransition(number, input, by: try await caller(request)))
        }
        api.post("cases/{caseNumber}/transitions/refusal") { request, context in
            let number = try context.parameters.caseNumber()
            let input = try await request.decodeJSON(RefusalInput.self, context: context)
            return try JSONResponse.make(try await service.refusePendingTransition(number, reason: input.reason, expectedVersion: input.expectedVersion, by: try await caller(request)))
        }
        api.get("cases/{caseNumber}/triage") { request, context in
            let caller = try await caller(request)
            let record = try await service.caseRecord(try context.parameters.caseNumber(), by: caller)
            let insight = try await service.triageInsight(record)
            return try JSONResponse.make(TriageView(triage: record.triage, decided: insight?.decided, recognised: insight?.recognised, recognitionRate: insight?.rate))
        }
        api.post("cases/{caseNumber}/triage") { request, context in
            let number = try context.parameters.caseNumber()
            let input = try await request.decodeJSON(TriageOverrideInput.self, context: context)
            return try JSONResponse.make(try await service.overrideTriage(number, track: input.track, reason: input.reason, expectedVersion: input.expectedVersion,
                                                                          by: try await caller(request)))
        }
        api.get("cases/{caseNumber}/tasks") { request, context in
            try JSONResponse.make(TaskList(tasks: try await service.tasks(of: context.parameters.caseNumber(), by: try await caller(request))))
        }
        api.post("cases/{caseNumber}/tasks") { request, context in
            let number = try context.parameters.caseNumber()
            let input = try await request.decodeJSON(TaskInput.self, context: context)
            return try JSONResponse.make(try await service.createTask(number, input, by: try await caller(request)), status: .created)
        }
        api.get("tasks") { request, _ in
            try request.requireOnlyQuery(["queue"])
            let caller = try await caller(request)
            if let office = try request.query("queue", code: "casework.invalid_office", expected: "an office code", OfficeCode.init) {
                return try JSONResponse.make(TaskList(tasks: try await service.teamQueue(office: office, by: caller)))
            }
            return try JSONResponse.make(TaskList(tasks: try await service.myWork(by: caller)))
        }
        api.get("cases/{caseNumber}/appointments") { request, context in
            try JSONResponse.make(AppointmentList(appointments: try await service.appointments(context.parameters.caseNumber(), by: try await caller(request))))
        }
        api.post("cases/{caseNumber}/appointments") { request, context in
            let number = try context.parameters.caseNumber()
            let input = try await request.decodeJSON(AppointmentInput.self, context: context)
            return try JSONResponse.make(try await service.scheduleAppointment(number, input, by: try await caller(request)), status: .created)
        }
        api.patch("appointments/{appointmentID}") { request, context in
            guard let id = context.parameters.get("appointmentID").flatMap(Appointment.ID.init) else {
                throw CaseworkError(code: "appointment.not_found", reason: "no such appointment", category: .notFound)
            }
            let input = try await request.decodeJSON(AppointmentUpdateInput.self, context: context)
            return try JSONResponse.make(try await service.updateAppointment(id, input, by: try await caller(request)))
        }
        api.patch("tasks/{taskID}") { request, context in
            guard let id = context.parameters.get("taskID").flatMap(CaseTask.ID.init) else {
                throw CaseworkError(code: "casework.task_not_found", reason: "no such task", category: .notFound)
            }
            let input = try await request.decodeJSON(TaskUpdateInput.self, context: context)
            return try JSONResponse.make(try await service.updateTask(id, input, by: try await caller(request)))
        }
        api.get("workload") { request, _ in
            try request.requireOnlyQuery(["office"])
            let office = try request.query("office", code: "casework.invalid_office", expected: "an office code", OfficeCode.init)
            return try JSONResponse.make(WorkloadList(rows: try await service.workload(office: office, by: try await caller(request))))
        }
        api.get("cases/{caseNumber}/decisions") { request, context in
            try JSONResponse.make(DecisionList(decisions: try await service.decisions(context.parameters.caseNumber(), by: try await caller(request))))
        }
        api.post("cases/{caseNumber}/decisions") { request, context in
            let number = try context.parameters.caseNumber()
            let input = try await request.decodeJSON(DecisionInput.self, context: context)
            return try JSONResponse.make(try await service.proposeDecision(number, input, by: try await caller(request)), status: .created)
        }
        api.post("cases/{caseNumber}/decisions/review") { request, context in
            let number = try context.parameters.caseNumber()
            let input = try await request.decodeJSON(DecisionReviewInput.self, context: context)
            return try JSONResponse.make(try await service.reviewDecision(number, input, by: try await caller(request)))
        }
        api.get("cases/{caseNumber}/events") { request, context in
            try JSONResponse.make(EventList(events: try await service.events(context.parameters.caseNumber(), by: try await caller(request))))
        }
        api.get("decision-key") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/x-pem-file", .cacheControl: "public, max-age=300"],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: service.signer.publicKeyPEM + "\n")))
        }
    }
}

struct RefusalInput: Decodable {
    let reason: String?
    let expectedVersion: Int?
}

struct TriageOverrideInput: Decodable {
    let track: String?
    let reason: String?
    let expectedVersion: Int?
}

/// The case's track and how similar profiles were decided (no rate under five decided cases).
struct TriageView: Encodable {
    let triage: CaseTriage?
    let decided: Int?
    let recognised: Int?
    let recognitionRate: Double?
}

struct TransitionList: Encodable { let transitions: [TransitionOption] }
struct AppointmentList: Encodable { let appointments: [Appointment] }
struct TaskList: Encodable { let tasks: [CaseTask] }
struct WorkloadList: Encodable { let rows: [WorkloadRow] }
struct DecisionList: Encodable { let decisions: [CaseDecision] }
struct EventList: Encodable { let events: [CaseEvent] }
