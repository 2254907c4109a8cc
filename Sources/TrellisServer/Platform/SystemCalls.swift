#if canImport(Glibc)
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
#elseif canImport(Darwin)
import Darwin
#endif

// The C library's calls whose names the platform types reuse for their own methods (`close`, `read`,
// `write`, …): named here once, so no other file has to spell out which C library module it means.

@inline(__always) func systemClose(_ fd: Int32) -> Int32 { close(fd) }

@inline(__always) func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int { read(fd, buffer, count) }

@inline(__always) func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int { write(fd, buffer, count) }

@inline(__always) func systemShutdownWrite(_ fd: Int32) -> Int32 { shutdown(fd, Int32(SHUT_WR)) }

@inline(__always) func systemBind(_ fd: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int32 {
    bind(fd, address, length)
}

@inline(__always) func systemPoll(_ descriptors: UnsafeMutablePointer<pollfd>?, _ count: Int, _ timeout: Int32) -> Int32 {
    poll(descriptors, nfds_t(count), timeout)
}
