import Synchronization

/// Runs async sections one at a time, in arrival order: for state that several tasks may reach
/// through one writer or reader (a `ResponseBodyWriter` handed to two tasks), where a lock
/// cannot be held across an `await`.
///
/// ```swift
/// let gate = SerialGate()
/// try await gate.run { let out = deflater.compress(chunk); try await writer.write(out) }
/// ```
package final class SerialGate: Sendable {
    private struct State {
        var busy = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Locked(State())

    package init() {}

    /// Runs `body` once every section that arrived earlier has finished.
    package func run<Result>(_ body: () async throws -> Result) async rethrows -> Result {
        await enter()
        defer { leave() }
        return try await body()
    }

    private func enter() async {
        let entered = state.withLock { state in
            if state.busy { return false }
            state.busy = true
            return true
        }
        if entered { return }
        await withCheckedContinuation { continuation in
            let now = state.withLock { state in
                if !state.busy {
                    state.busy = true
                    return true
                }
                state.waiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    private func leave() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiters.isEmpty {
                state.busy = false
                return nil
            }
            return state.waiters.removeFirst()  // stays busy: ownership passes to the next section
        }
        next?.resume()
    }
}

/// Checks, in debug builds, that an object confined to one user at a time is never used by two at
/// once: `enter()` at the start of each use and `leave()` at its end; overlapping uses trap with
/// the type's name. Release builds pay one relaxed atomic exchange per use.
package struct ExclusiveUse: ~Copyable, Sendable {
    private let inUse = Atomic<Bool>(false)
    private let owner: StaticString

    /// A checker for `owner` (named in the trap message).
    package init(_ owner: StaticString) { self.owner = owner }

    /// Starts a use.
    package func enter() {
        let wasInUse = inUse.exchange(true, ordering: .acquiring)
        assert(!wasInUse, "\(owner) used by two tasks at once")
    }

    /// Ends a use.
    package func leave() { inUse.store(false, ordering: .releasing) }
}
