import { setImmediate as turn } from 'node:timers/promises';
import type { Clock, Sleep } from '../../src/sync/ports.js';

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
}

/**
 * A clock and a sleep for the engine and the simulators that run as fast as the work allows: time stands still
 * while anything is in flight and jumps to the next timer when all is quiet. `jump` moves it hours at once (a
 * laptop lid closed): every timer that came due fires together, as overdue setTimeouts do on wake.
 */
export class VirtualTime implements Clock {
  private timers: Timer[] = [];
  private seq = 0;
  /** Bumped on every sleep started, ended or cancelled: part of what tells quiet from busy. */
  version = 0;

  constructor(public t: number) {}

  now = (): number => this.t;

  sleep: Sleep = (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      this.version++;
      const timer: Timer = { at: this.t + Math.max(0, ms), seq: this.seq++, resolve: () => undefined };
      const onAbort = () => {
        this.timers = this.timers.filter((x) => x !== timer);
        this.version++;
        reject(signal?.reason);
      };
      timer.resolve = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.timers.push(timer);
    });

  get pending(): number {
    return this.timers.length;
  }

  nextAt(): number | undefined {
    let min: number | undefined;
    for (const x of this.timers) if (min === undefined || x.at < min) min = x.at;
    return min;
  }

  /** Fires the timers due at or before `t` (oldest first) after moving the clock there. */
  advanceTo(t: number): number {
    this.t = Math.max(this.t, t);
    const due = this.timers.filter((x) => x.at <= this.t).sort((a, b) => a.at - b.at || a.seq - b.seq);
    if (due.length === 0) return 0;
    this.timers = this.timers.filter((x) => x.at > this.t);
    this.version++;
    for (const x of due) x.resolve();
    return due.length;
  }

  jump(ms: number): number {
    return this.advanceTo(this.t + ms);
  }
}

/**
 * Resolves once nothing has happened for two rounds of event-loop turns: no sleep started or ended, no file
 * operation pending, and `activity()` (the simulators' request counters, log lines) unchanged. Loopback I/O in one
 * process moves one hop per turn (a write lands in the peer's socket at once), so a quiet loop means every party
 * waits on a timer. Only pending file operations (the thread pool) are waited for in real time.
 */
export async function quiet(time: VirtualTime, activity: () => number, turns = 12): Promise<void> {
  let stillRounds = 0;
  while (stillRounds < 2) {
    const before = time.version + activity();
    for (let i = 0; i < turns; i++) await turn();
    const files = process.getActiveResourcesInfo().some((r) => r.startsWith('FSReq'));
    stillRounds = !files && time.version + activity() === before ? stillRounds + 1 : 0;
    if (files) await new Promise((r) => setTimeout(r, 1));
  }
}
