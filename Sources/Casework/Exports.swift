// Casework's public API speaks of users (`UserID`), callers and audit events from Identity.
@_exported import Identity
