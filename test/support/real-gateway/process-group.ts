import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false; // ESRCH: nobody left in the group
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone
  }
}

/** SIGTERM to the whole group (the gateway forks workers), SIGKILL for whatever is left after `graceMs`. */
export async function stopProcessGroup(child: ChildProcess, graceMs: number): Promise<void> {
  const pgid = child.pid;
  if (pgid === undefined) return;
  const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : once(child, 'exit');
  signalGroup(pgid, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), graceMs)));
  await Promise.race([exited, grace]);
  clearTimeout(timer);
  // Workers may outlive the leader; the group id is still ours until its last member is gone.
  if (groupAlive(pgid)) signalGroup(pgid, 'SIGKILL');
  await exited;
  // SIGKILL is asynchronous: wait (bounded) so the caller can delete the files the group was writing.
  for (let i = 0; i < 100 && groupAlive(pgid); i++) await delay(50);
}

/** Synchronous last resort for process exit: no waiting possible there. */
export function killProcessGroupNow(child: ChildProcess): void {
  if (child.pid !== undefined && groupAlive(child.pid)) signalGroup(child.pid, 'SIGKILL');
}
