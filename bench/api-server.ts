// The machine API alone in its own process (so the load generator does not share its event
// loop): the same entry the fault suites use, with the same graceful SIGTERM path.
import '../tests/support/api-process';
