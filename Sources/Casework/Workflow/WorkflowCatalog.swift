public import AccordCore
public import Foundation

/// The workflows a node runs: every version of every case type's workflow. New cases start on
/// the highest version; a case stays on the version it started under.
public struct WorkflowCatalog: Sendable, Equatable {
    private var workflows: [CaseType: [Int: Workflow]] = [:]

    public init(_ list: [Workflow]) throws {
        for workflow in list {
            guard workflows[workflow.caseType]?[workflow.version] == nil else {
                throw CaseworkError(
                    code: "workflow.duplicate_version",
                    reason: "workflow \(workflow.caseType.rawValue) version \(workflow.version) is defined twice",
                    category: .invalidInput
                )
            }
            workflows[workflow.caseType, default: [:]][workflow.version] = workflow
        }
    }

    public var all: [Workflow] {
        workflows.values.flatMap(\.values).sorted { ($0.caseType.rawValue, $0.version) < ($1.caseType.rawValue, $1.version) }
    }

    /// The version new cases of `type` start on.
    public func current(_ type: CaseType) -> Workflow? {
        workflows[type]?.max { $0.key < $1.key }?.value
    }

    public func workflow(_ type: CaseType, version: Int) -> Workflow? {
        workflows[type]?[version]
    }

    /// The workflow `record` runs on, or `workflow.unknown_version` when the node no longer has it.
    public func workflow(of record: Case) throws -> Workflow {
        guard let workflow = workflow(record.type, version: record.workflowVersion) else {
            throw CaseworkError(
                code: "workflow.unknown_version",
                reason: "case \(record.number.text) runs on \(record.type.rawValue) workflow version \(record.workflowVersion), which this node does not have; restore that file in Profiles/workflows",
                category: .conflict
            )
        }
        return workflow
    }
}

/// The working calendar of each office (time zone, weekend, public holidays) deadlines run on.
public struct OfficeCalendars: Sendable, Equatable {
    public var byOffice: [OfficeCode: LegalCalendar]
    public var fallback: LegalCalendar

    public init(byOffice: [OfficeCode: LegalCalendar] = [:], fallback: LegalCalendar = LegalCalendar(timeZone: .gmt)) {
        self.byOffice = byOffice
        self.fallback = fallback
    }

    public func calendar(of office: OfficeCode) -> LegalCalendar { byOffice[office] ?? fallback }
}
