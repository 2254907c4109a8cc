/// Runs the jobs of the connection tasks of one event loop on that loop's thread, between its
/// `epoll_wait` calls. A handler's `await` suspends only its own connection.
final class LoopExecutor: TaskExecutor, @unchecked Sendable {
    // Strong: a task of a closed connection may still enqueue its last jobs after the server stopped.
    let loop: EventLoop

    init(loop: EventLoop) { self.loop = loop }

    func enqueue(_ job: consuming ExecutorJob) {
        loop.enqueue(UnownedJob(job))
    }
}
