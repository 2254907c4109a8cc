import CTrellisSystem
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `poll(2)` backend of `Poller`: level-triggered underneath, edge-like to its users. Each
/// descriptor has directions it always wants (a listener's or wake-up descriptor's input) and
/// directions armed by a transport about to wait; a reported direction is disarmed until armed
/// again, so a connection whose bytes nobody is reading yet does not wake the loop over and over.
/// Confined to its loop's thread.
final class PollSet {
    private struct Entry {
        var token: UInt64
        var persistent: Readiness
        var armed: Readiness
        var wanted: Readiness { persistent.union(armed) }
    }

    private var entries: [Int32: Entry] = [:]
    private var descriptors: [pollfd] = []

    func add(_ fd: Int32, token: UInt64, persistent: Readiness) {
        entries[fd] = Entry(token: token, persistent: persistent, armed: [])
    }

    func remove(_ fd: Int32) { entries.removeValue(forKey: fd) }

    func arm(_ fd: Int32, _ direction: Readiness) { entries[fd]?.armed.formUnion(direction) }

    /// Polls every descriptor that wants something; fills `events` (at most its capacity, the rest
    /// stays armed for the next wait) and disarms what it reports.
    func wait(into events: inout [Poller.Event], timeout: Int32) -> Int {
        descriptors.removeAll(keepingCapacity: true)
        for (fd, entry) in entries {
            let wanted = entry.wanted
            if wanted.isEmpty { continue }
            var mask: Int16 = 0
            if wanted.contains(.readable) { mask |= Int16(POLLIN) | CTRELLIS_POLLRDHUP }
            if wanted.contains(.writable) { mask |= Int16(POLLOUT) }
            descriptors.append(pollfd(fd: fd, events: mask, revents: 0))
        }
        let ready = descriptors.withUnsafeMutableBufferPointer { buffer in
            systemPoll(buffer.baseAddress, buffer.count, timeout)
        }
        guard ready > 0 else { return 0 }
        var count = 0
        for descriptor in descriptors where descriptor.revents != 0 {
            guard count < events.count, var entry = entries[descriptor.fd] else { continue }
            let flags = descriptor.revents
            var readiness: Readiness = []
            let failed = flags & (Int16(POLLHUP) | Int16(POLLERR) | Int16(POLLNVAL)) != 0
            if flags & Int16(POLLIN) != 0 || failed || flags & CTRELLIS_POLLRDHUP != 0 { readiness.insert(.readable) }
            if flags & Int16(POLLOUT) != 0 || failed { readiness.insert(.writable) }
            if failed || flags & CTRELLIS_POLLRDHUP != 0 { readiness.insert(.hangup) }
            entry.armed.subtract(readiness)
            entries[descriptor.fd] = entry
            events[count] = Poller.Event(token: entry.token, readiness: readiness)
            count += 1
        }
        return count
    }
}
