/// Whether the current task runs inside `app.test { }`: output meant for a person watching a
/// server (the access log on standard error) stays quiet there unless the test asks for it.
package enum TestRun {
    /// Set by `Pipeline.test(logging: false)` around the test body.
    @TaskLocal package static var isQuiet = false
}
