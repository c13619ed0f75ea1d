// Named places where a test can SIGKILL the sync mid-delivery (`AGENTWATCH_SYNC_CRASH_AT=after-post`), to prove
// the durable outbox loses nothing and repeats at most one batch. `AGENTWATCH_SYNC_CRASH_SKIP=N` passes the point
// N times first. Without the variable this is one env read.

export type CrashPointName = 'after-book' | 'before-post' | 'after-post' | 'after-ack' | 'after-trace-create';

let passed = 0;

export function crashPoint(name: CrashPointName): void {
  if (process.env.AGENTWATCH_SYNC_CRASH_AT !== name) return;
  const skip = Number(process.env.AGENTWATCH_SYNC_CRASH_SKIP ?? 0);
  if (passed++ < skip) return;
  process.kill(process.pid, 'SIGKILL');
}
