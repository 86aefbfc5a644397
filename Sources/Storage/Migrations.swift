/// The schema, as an ordered list of migrations. Never edit a released migration: add one.
struct Migration: Sendable {
    let id: String
    let statements: @Sendable (SQLStore.Dialect) -> [String]
}

enum Migrations {
    static let all: [Migration] = [caseCore, appendOnly, auditLog, encryption, users, apiTokens, sessions, exchange, exchangeCheckpoints, readmission, workflows, readmissionCaseFile, triage, appointments, personChecks, agencyRequests]

    /// Persons, cases, parties, history, notes, documents.
    static let caseCore = Migration(id: "0001_case_core") { _ in
        [
            """
            CREATE TABLE persons (
                id TEXT PRIMARY KEY,
                version BIGINT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                details TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE person_search_keys (
                person_id TEXT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
                kind TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (person_id, kind, value)
            )
            """,
            "CREATE INDEX person_search_keys_lookup ON person_search_keys (kind, value)",
            """
            CREATE TABLE case_number_counters (
                prefix TEXT NOT NULL,
                year BIGINT NOT NULL,
                last_value BIGINT NOT NULL,
                PRIMARY KEY (prefix, year)
            )
            """,
            """
            CREATE TABLE cases (
                id TEXT PRIMARY KEY,
                number TEXT NOT NULL UNIQUE,
                type TEXT NOT NULL,
                status TEXT NOT NULL,
                office TEXT NOT NULL,
                assigned_officer TEXT,
                title TEXT,
                principal_person_id TEXT NOT NULL REFERENCES persons(id),
                opened_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                version BIGINT NOT NULL,
                history_length BIGINT NOT NULL
            )
            """,
            "CREATE INDEX cases_type_status ON cases (type, status)",
            "CREATE INDEX cases_office ON cases (office)",
            "CREATE INDEX cases_opened_at ON cases (opened_at)",
            """
            CREATE TABLE case_parties (
                case_id TEXT NOT NULL REFERENCES cases(id),
                person_id TEXT NOT NULL REFERENCES persons(id),
                role TEXT NOT NULL,
                relationship TEXT,
                position BIGINT NOT NULL,
                PRIMARY KEY (case_id, person_id, role)
            )
            """,
            "CREATE INDEX case_parties_person ON case_parties (person_id)",
            """
            CREATE TABLE case_history (
                id TEXT PRIMARY KEY,
                case_id TEXT NOT NULL REFERENCES cases(id),
                sequence BIGINT NOT NULL,
                at BIGINT NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                summary TEXT NOT NULL,
                UNIQUE (case_id, sequence)
            )
            """,
            """
            CREATE TABLE case_notes (
                id TEXT PRIMARY KEY,
                case_id TEXT NOT NULL REFERENCES cases(id),
                author TEXT NOT NULL,
                at BIGINT NOT NULL,
                text TEXT NOT NULL
            )
            """,
            "CREATE INDEX case_notes_case ON case_notes (case_id, at)",
            """
            CREATE TABLE documents (
                id TEXT PRIMARY KEY,
                case_id TEXT NOT NULL REFERENCES cases(id),
                person_id TEXT REFERENCES persons(id),
                kind TEXT NOT NULL,
                title TEXT,
                file_name TEXT,
                issuing_country TEXT,
                document_number TEXT,
                valid_from TEXT,
                valid_until TEXT,
                media_type TEXT NOT NULL,
                byte_count BIGINT NOT NULL,
                sha256 TEXT NOT NULL,
                uploaded_at BIGINT NOT NULL,
                uploaded_by TEXT NOT NULL
            )
            """,
            "CREATE INDEX documents_case ON documents (case_id, uploaded_at)",
        ]
    }

    /// History and notes can be appended to, never changed: the database itself refuses.
    static let appendOnly = Migration(id: "0002_append_only_history") { dialect in
        let tables = ["case_history", "case_notes"]
        switch dialect {
        case .sqlite:
            return tables.flatMap { table in
                ["UPDATE", "DELETE"].map { operation in
                    """
                    CREATE TRIGGER \(table)_no_\(operation.lowercased()) BEFORE \(operation) ON \(table)
                    BEGIN SELECT RAISE(ABORT, '\(table) is append-only'); END
                    """
                }
            }
        case .postgres:
            return [
                """
                CREATE FUNCTION accord_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$
                """,
            ] + tables.map { table in
                "CREATE TRIGGER \(table)_append_only BEFORE UPDATE OR DELETE ON \(table) FOR EACH ROW EXECUTE FUNCTION accord_refuse_change()"
            }
        }
    }

    /// The audit trail: hash-chained entries and signed Merkle checkpoints, both append-only.
    static let auditLog = Migration(id: "0003_audit_log") { dialect in
        let tables = [
            """
            CREATE TABLE audit_entries (
                sequence BIGINT PRIMARY KEY,
                at BIGINT NOT NULL,
                actor TEXT NOT NULL,
                role TEXT,
                action TEXT NOT NULL,
                resource_type TEXT NOT NULL,
                resource_ref TEXT NOT NULL,
                origin TEXT,
                purpose TEXT,
                outcome TEXT NOT NULL,
                chain_hash TEXT NOT NULL
            )
            """,
            "CREATE INDEX audit_entries_resource ON audit_entries (resource_type, resource_ref)",
            """
            CREATE TABLE audit_checkpoints (
                size BIGINT PRIMARY KEY,
                origin TEXT NOT NULL,
                root TEXT NOT NULL,
                at BIGINT NOT NULL,
                signature TEXT NOT NULL
            )
            """,
        ]
        let guarded = ["audit_entries", "audit_checkpoints"]
        switch dialect {
        case .sqlite:
            return tables + guarded.flatMap { table in
                ["UPDATE", "DELETE"].map { operation in
                    "CREATE TRIGGER \(table)_no_\(operation.lowercased()) BEFORE \(operation) ON \(table) BEGIN SELECT RAISE(ABORT, '\(table) is append-only'); END"
                }
            }
        case .postgres:
            return tables + guarded.map { table in
                "CREATE TRIGGER \(table)_append_only BEFORE UPDATE OR DELETE ON \(table) FOR EACH ROW EXECUTE FUNCTION accord_refuse_change()"
            }
        }
    }

    /// Wrapped per-person data keys (deleting a row erases the person) and master-key check values.
    static let encryption = Migration(id: "0004_field_encryption") { _ in
        [
            """
            CREATE TABLE person_keys (
                person_id TEXT PRIMARY KEY REFERENCES persons(id),
                key_version BIGINT NOT NULL,
                wrapped_key TEXT NOT NULL
            )
            """,
            "CREATE INDEX person_keys_version ON person_keys (key_version)",
            "CREATE TABLE master_key_checks (version BIGINT PRIMARY KEY, check_value TEXT NOT NULL)",
        ]
    }

    /// User accounts (TOTP secrets sealed; passwords and recovery codes as bcrypt hashes).
    static let users = Migration(id: "0005_users") { _ in
        [
            """
            CREATE TABLE users (
                id TEXT PRIMARY KEY,
                display_name TEXT NOT NULL,
                grants TEXT NOT NULL,
                password_hash TEXT NOT NULL,
                totp_secret TEXT,
                last_totp_step BIGINT,
                recovery_hashes TEXT NOT NULL,
                failed_attempts BIGINT NOT NULL,
                locked_until BIGINT,
                disabled BIGINT NOT NULL,
                created_at BIGINT NOT NULL,
                version BIGINT NOT NULL
            )
            """,
        ]
    }

    /// Scoped API tokens for agencies' systems, stored as SHA-256 hashes.
    static let apiTokens = Migration(id: "0006_api_tokens") { _ in
        [
            """
            CREATE TABLE api_tokens (
                id TEXT PRIMARY KEY,
                token_hash TEXT NOT NULL UNIQUE,
                user_id TEXT NOT NULL REFERENCES users(id),
                scopes TEXT,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL,
                revoked_at BIGINT
            )
            """,
        ]
    }

    /// Console sessions (only the SHA-256 of the cookie secret is stored).
    static let sessions = Migration(id: "0007_sessions") { _ in
        [
            """
            CREATE TABLE sessions (
                id_hash TEXT PRIMARY KEY,
                user_id TEXT NOT NULL REFERENCES users(id),
                created_at BIGINT NOT NULL,
                last_seen_at BIGINT NOT NULL,
                csrf_token TEXT NOT NULL,
                enrolment_only BIGINT NOT NULL
            )
            """,
        ]
    }

    /// The federation exchange: the append-only message log (hash-chained, Merkle leaves), the
    /// hub's outbox, a node's inbox (unique by sender and message ID, with its receipt) and the
    /// messages a node sent with their delivery state.
    static let exchange = Migration(id: "0008_exchange") { dialect in
        let tables = [
            """
            CREATE TABLE exchange_log (
                sequence BIGINT PRIMARY KEY,
                at BIGINT NOT NULL,
                event TEXT NOT NULL,
                sender TEXT NOT NULL,
                recipient TEXT NOT NULL,
                message_id TEXT NOT NULL,
                message_type TEXT NOT NULL,
                digest TEXT NOT NULL,
                chain_hash TEXT NOT NULL
            )
            """,
            "CREATE INDEX exchange_log_message ON exchange_log (sender, message_id)",
            """
            CREATE TABLE exchange_outbox (
                sender TEXT NOT NULL,
                message_id TEXT NOT NULL,
                recipient TEXT NOT NULL,
                message_type TEXT NOT NULL,
                digest TEXT NOT NULL,
                payload TEXT NOT NULL,
                accepted_at BIGINT NOT NULL,
                log_index BIGINT NOT NULL,
                state TEXT NOT NULL,
                attempts BIGINT NOT NULL,
                next_attempt_at BIGINT NOT NULL,
                last_error TEXT,
                receipt TEXT,
                settled_at BIGINT,
                PRIMARY KEY (sender, message_id)
            )
            """,
            "CREATE INDEX exchange_outbox_due ON exchange_outbox (state, next_attempt_at)",
            """
            CREATE TABLE exchange_inbox (
                sender TEXT NOT NULL,
                message_id TEXT NOT NULL,
                message_type TEXT NOT NULL,
                digest TEXT NOT NULL,
                payload TEXT NOT NULL,
                receipt TEXT NOT NULL,
                received_at BIGINT NOT NULL,
                log_index BIGINT NOT NULL,
                PRIMARY KEY (sender, message_id)
            )
            """,
        ]
        switch dialect {
        case .sqlite:
            return tables + ["UPDATE", "DELETE"].map { operation in
                "CREATE TRIGGER exchange_log_no_\(operation.lowercased()) BEFORE \(operation) ON exchange_log BEGIN SELECT RAISE(ABORT, 'exchange_log is append-only'); END"
            }
        case .postgres:
            return tables + ["CREATE TRIGGER exchange_log_append_only BEFORE UPDATE OR DELETE ON exchange_log FOR EACH ROW EXECUTE FUNCTION accord_refuse_change()"]
        }
    }

    /// Signed checkpoints of the message log (size, Merkle root, time, signature by the
    /// installation's federation signer), append-only like the log itself.
    static let exchangeCheckpoints = Migration(id: "0009_exchange_checkpoints") { dialect in
        let table = """
            CREATE TABLE exchange_checkpoints (
                size BIGINT PRIMARY KEY,
                origin TEXT NOT NULL,
                root TEXT NOT NULL,
                at BIGINT NOT NULL,
                signature TEXT NOT NULL
            )
            """
        switch dialect {
        case .sqlite:
            return [table] + ["UPDATE", "DELETE"].map { operation in
                "CREATE TRIGGER exchange_checkpoints_no_\(operation.lowercased()) BEFORE \(operation) ON exchange_checkpoints BEGIN SELECT RAISE(ABORT, 'exchange_checkpoints is append-only'); END"
            }
        case .postgres:
            return [table, "CREATE TRIGGER exchange_checkpoints_append_only BEFORE UPDATE OR DELETE ON exchange_checkpoints FOR EACH ROW EXECUTE FUNCTION accord_refuse_change()"]
        }
    }

    /// Readmission cases as their events: messages sent and received (with receipts) and local
    /// steps (identity checks, four-eyes proposals, clock events). A case is the fold of its rows.
    static let readmission = Migration(id: "0010_readmission") { _ in
        [
            """
            CREATE TABLE readmission_events (
                seq BIGINT PRIMARY KEY,
                case_id TEXT NOT NULL,
                reference TEXT NOT NULL,
                partner TEXT NOT NULL,
                direction TEXT NOT NULL,
                kind TEXT NOT NULL,
                message_id TEXT,
                body TEXT,
                detail TEXT,
                actor TEXT NOT NULL,
                at BIGINT NOT NULL,
                payload TEXT,
                digest TEXT,
                receipt TEXT,
                received_at BIGINT,
                delivery TEXT,
                dedup_key TEXT
            )
            """,
            "CREATE INDEX readmission_events_case ON readmission_events (case_id, seq)",
            "CREATE UNIQUE INDEX readmission_events_dedup ON readmission_events (case_id, dedup_key)",
            "CREATE UNIQUE INDEX readmission_events_message ON readmission_events (direction, partner, message_id)",
            "CREATE INDEX readmission_events_delivery ON readmission_events (delivery)",
        ]
    }

    /// Cases on workflows from Profiles/: the workflow version, state entry, deadline and timers,
    /// closure, the workflow's fields and a pending four-eyes transition (both sealed); tasks,
    /// decisions, and the case events letters and notifications will follow.
    static let workflows = Migration(id: "0011_workflows") { _ in
        [
            "ALTER TABLE cases ADD COLUMN workflow_version BIGINT NOT NULL DEFAULT 1",
            "ALTER TABLE cases ADD COLUMN state_entered_at BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE cases ADD COLUMN deadline_on BIGINT",
            "ALTER TABLE cases ADD COLUMN timers_fired BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE cases ADD COLUMN next_timer_on BIGINT",
            "ALTER TABLE cases ADD COLUMN closed_at BIGINT",
            "ALTER TABLE cases ADD COLUMN fields TEXT",
            "ALTER TABLE cases ADD COLUMN pending TEXT",
            "UPDATE cases SET state_entered_at = updated_at",
            "UPDATE cases SET closed_at = updated_at WHERE status IN ('closed', 'withdrawn')",
            "CREATE INDEX cases_next_timer ON cases (next_timer_on)",
            "CREATE INDEX cases_officer ON cases (assigned_officer, closed_at)",
            """
            CREATE TABLE case_tasks (
                id TEXT PRIMARY KEY,
                case_id TEXT NOT NULL REFERENCES cases(id),
                case_number TEXT NOT NULL,
                title TEXT NOT NULL,
                assignee TEXT,
                team TEXT,
                office TEXT NOT NULL,
                due_on BIGINT,
                priority TEXT NOT NULL,
                state TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                created_by TEXT NOT NULL,
                source TEXT,
                completed_at BIGINT,
                completed_by TEXT,
                version BIGINT NOT NULL
            )
            """,
            "CREATE INDEX case_tasks_case ON case_tasks (case_id, state)",
            "CREATE INDEX case_tasks_assignee ON case_tasks (assignee, state, due_on)",
            "CREATE INDEX case_tasks_queue ON case_tasks (office, team, state, due_on)",
            """
            CREATE TABLE case_decisions (
                id TEXT PRIMARY KEY,
                case_id TEXT NOT NULL REFERENCES cases(id),
                case_number TEXT NOT NULL,
                workflow_version BIGINT NOT NULL,
                outcome TEXT NOT NULL,
                grounds TEXT,
                legal_basis TEXT,
                proposed_by TEXT NOT NULL,
                proposed_at BIGINT NOT NULL,
                state TEXT NOT NULL,
                approved_by TEXT,
                approved_at BIGINT,
                return_reason TEXT,
                signature TEXT,
                signing_key TEXT
            )
            """,
            "CREATE INDEX case_decisions_case ON case_decisions (case_id, proposed_at)",
            """
            CREATE TABLE case_events (
                id TEXT PRIMARY KEY,
                case_id TEXT NOT NULL REFERENCES cases(id),
                name TEXT NOT NULL,
                at BIGINT NOT NULL,
                actor TEXT NOT NULL,
                source TEXT
            )
            """,
            "CREATE INDEX case_events_case ON case_events (case_id, at)",
            "CREATE INDEX case_events_at ON case_events (at)",
        ]
    }

    /// Readmission in the case file: each conversation linked to its case and person (its events
    /// are sealed with the person's key from here on); the inbox keeps a received message until
    /// the node's procedures have taken it, then forgets its content.
    static let readmissionCaseFile = Migration(id: "0012_readmission_case_file") { _ in
        [
            """
            CREATE TABLE readmission_links (
                conversation_id TEXT PRIMARY KEY,
                case_id TEXT NOT NULL REFERENCES cases(id),
                case_number TEXT NOT NULL,
                person_id TEXT NOT NULL
            )
            """,
            "CREATE INDEX readmission_links_case ON readmission_links (case_id)",
            "ALTER TABLE readmission_events ADD COLUMN delivery_note TEXT",
            "ALTER TABLE exchange_inbox ADD COLUMN taken_at BIGINT",
            "ALTER TABLE exchange_inbox ADD COLUMN take_problem TEXT",
            // Messages received before 0012 were applied in their receipt's transaction.
            "UPDATE exchange_inbox SET taken_at = received_at",
            "CREATE INDEX exchange_inbox_untaken ON exchange_inbox (taken_at, log_index)",
        ]
    }

    /// The track triage gave a case, the rule that fired and who overrode it: processing
    /// metadata in clear (no personal data), so that similar profiles can be counted.
    static let triage = Migration(id: "0013_triage") { _ in
        [
            "ALTER TABLE cases ADD COLUMN triage_track TEXT",
            "ALTER TABLE cases ADD COLUMN triage_rule TEXT",
            "ALTER TABLE cases ADD COLUMN triage_overridden_by TEXT",
            "CREATE INDEX cases_triage_rule ON cases (triage_rule)",
        ]
    }

    /// Interviews, biometrics appointments and hearings; messages between officers are notes
    /// addressed to one of them, read or not.
    static let appointments = Migration(id: "0014_appointments") { _ in
        [
            """
            CREATE TABLE appointments (
                id TEXT PRIMARY KEY,
                case_id TEXT NOT NULL REFERENCES cases(id),
                case_number TEXT NOT NULL,
                kind TEXT NOT NULL,
                starts_at BIGINT NOT NULL,
                ends_at BIGINT NOT NULL,
                room TEXT,
                officer TEXT,
                person_id TEXT,
                state TEXT NOT NULL,
                created_by TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                version BIGINT NOT NULL
            )
            """,
            "CREATE INDEX appointments_case ON appointments (case_id, starts_at)",
            "CREATE INDEX appointments_time ON appointments (state, starts_at, ends_at)",
            "CREATE INDEX appointments_officer ON appointments (officer, state, starts_at)",
            // Notes stay append-only: that a message was read is a row of its own.
            "ALTER TABLE case_notes ADD COLUMN recipient TEXT",
            "CREATE INDEX case_notes_recipient ON case_notes (recipient)",
            "CREATE TABLE case_note_reads (note_id TEXT PRIMARY KEY REFERENCES case_notes(id), case_id TEXT NOT NULL, read_at BIGINT NOT NULL)",
        ]
    }

    /// What national systems answered about a person (police, border): what matched is sealed
    /// with the person's key; erasing the person makes it unreadable.
    static let personChecks = Migration(id: "0015_person_checks") { _ in
        [
            """
            CREATE TABLE person_checks (
                id TEXT PRIMARY KEY,
                person_id TEXT NOT NULL,
                source TEXT NOT NULL,
                kind TEXT NOT NULL,
                check_name TEXT NOT NULL,
                at BIGINT NOT NULL,
                outcome TEXT NOT NULL,
                reference TEXT,
                detail TEXT NOT NULL,
                problem TEXT,
                requested_by TEXT NOT NULL
            )
            """,
            "CREATE INDEX person_checks_person ON person_checks (person_id, at)",
        ]
    }

    /// Agencies' requests by idempotency key: the digest of the request and the answer given.
    static let agencyRequests = Migration(id: "0016_agency_requests") { _ in
        [
            """
            CREATE TABLE agency_requests (
                caller TEXT NOT NULL,
                idempotency_key TEXT NOT NULL,
                digest TEXT NOT NULL,
                status INTEGER,
                body TEXT,
                at BIGINT NOT NULL,
                PRIMARY KEY (caller, idempotency_key)
            )
            """,
        ]
    }
}
