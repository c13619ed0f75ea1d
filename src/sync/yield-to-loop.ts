/**
 * Lets timers, sockets and IPC run between long synchronous stretches of a poll. Awaiting a resolved promise is not
 * enough: microtasks run before the event loop gets a turn, so a chain of awaits can still stall it for a second
 * at 10k sessions (docs/bench.md). Not a delay: setImmediate runs right after pending I/O callbacks.
 */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
