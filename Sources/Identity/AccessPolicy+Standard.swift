extension AccessPolicy {
    /// The roles Accord ships with. Profiles/access/roles.yaml is this policy as data (generated,
    /// checked by a test); a node loads its own copy from `access.policy-file` when configured.
    public static let standard = AccessPolicy(roles: [
        "administrator": Role(description: "Manages users, roles and keys; sees no case data", permissions: [.administer], scope: .all),
        "registry_clerk": Role(description: "Registers persons and opens cases at an office", permissions: [.viewCase, .viewPerson, .editPerson, .editCase, .attachDocument, .addNote], scope: .office),
        "case_officer": Role(description: "Handles cases of an office", permissions: [.viewCase, .editCase, .viewPerson, .editPerson, .addNote, .attachDocument], scope: .office),
        "supervisor": Role(description: "Oversees an office: reassigns, decides, exports statistics", permissions: [.viewCase, .editCase, .viewPerson, .addNote, .decide, .reassign, .export], scope: .office),
        "legal_officer": Role(description: "Appeals and legal review, every office", permissions: [.viewCase, .viewPerson, .addNote, .decide], scope: .all, caseTypes: ["appeal", "asylum", "return"], purposeRequired: true),
        "auditor": Role(description: "Reads the audit trail; personal data only with a stated purpose", permissions: [.viewAudit, .viewCase], scope: .all, purposeRequired: true),
        "partner_liaison": Role(description: "Exchanges readmission messages with partner states", permissions: [.viewCase, .exchange], scope: .all, caseTypes: ["readmission"]),
        "readmission_supervisor": Role(description: "Decides readmission applications and approves colleagues' decisions (four eyes)",
                                       permissions: [.viewCase, .exchange, .decide], scope: .all, caseTypes: ["readmission"]),
        "data_protection_officer": Role(description: "Handles erasure requests", permissions: [.erasePerson, .viewAudit], scope: .all, purposeRequired: true),
        "applicant": Role(description: "Sees and adds to their own case in the portal", permissions: [.viewCase, .attachDocument], scope: .own),
        "agency": Role(description: "A national agency's system calling in (border exits, police hits, registry notices); reads nothing", permissions: [.agencyReport], scope: .all),
        "legal_representative": Role(description: "Acts for applicants who named them", permissions: [.viewCase, .attachDocument, .addNote], scope: .own),
    ])
}
