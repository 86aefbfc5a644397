/// Per-case mutual exclusion inside one process: waiters queue in order.
actor CaseLocks {
    private var waiting: [ReadmissionCaseID: [CheckedContinuation<Void, Never>]] = [:]

    func acquire(_ id: ReadmissionCaseID) async {
        guard waiting[id] != nil else {
            waiting[id] = []
            return
        }
        await withCheckedContinuation { waiting[id, default: []].append($0) }
    }

    func release(_ id: ReadmissionCaseID) {
        guard var queue = waiting[id] else { return }
        if queue.isEmpty {
            waiting[id] = nil
        } else {
            let next = queue.removeFirst()
            waiting[id] = queue
            next.resume()
        }
    }
}
