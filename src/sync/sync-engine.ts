import type { SessionDelta } from './delta.js';
import { describeUsageRead } from '../shared/sync-status.js';
import { errorMessage, isSyncError } from './errors.js';
import { redact } from './redact.js';
import { nextDelay } from './next-delay.js';
import type { CycleDeps, CycleOutcome } from './cycle-deps.js';
import { runBackfill, runCycle, runLive } from './poll-cycle.js';
import type { FinishedRun } from './live/finished-run.js';
import type { Clock, Logger, Sleep } from './ports.js';
import type { CycleResult, SyncErrorInfo, SyncStatus } from '../shared/sync-status.js';
import { plural } from '../shared/plural.js';
import { StatusTracker } from './status-tracker.js';
import type { SyncConfig } from './sync-config.js';
import type { ViewPatch } from './window-view.js';

export interface SyncEngineOptions {
  config: SyncConfig;
  cycle: Omit<CycleDeps, 'hooks'>;
  /** The status fields derived for the tray and window (active sessions, today's totals), asked after each booking. */
  view: { statusPatch(poll?: CycleOutcome): ViewPatch };
  clock: Clock;
  sleep: Sleep;
  log: Logger;
  /** Consecutive failed polls before the loop stops itself; 0 = never (the tray app). */
  maxErrors: number;
  /** Closes sockets, the state and the lock; called once by stop(). */
  close: () => Promise<void>;
  onGiveUp?: (status: SyncStatus) => void;
  /** Started with the loop and stopped before `close` (the live feed). */
  companions?: Array<{ start(): void; stop(): Promise<void> }>;
  /** What the last poll learned about its peers, shown in status. */
  peers?: () => { sink: string | null; gatewayVersion: string | null };
  /** The gateway token and API key: blanked in lastError, which reaches the window, notifications and /healthz. */
  secrets?: readonly string[];
}

function errorInfo(e: unknown, at: number, secrets: readonly string[]): SyncErrorInfo {
  const code = isSyncError(e) ? e.code : ((e as { failure?: string }).failure ?? 'ERROR');
  const cause = e instanceof Error && e.cause instanceof Error ? `\ncause: ${e.cause.message}` : '';
  // Unlike log lines, the status is not written through the logger's redaction: a cause may quote a server's answer.
  return { message: redact(errorMessage(e), secrets), code: String(code), at, details: redact(`${errorMessage(e)}${cause}`, secrets) };
}

/** Schedules polls (single-flight), exposes pause/resume/run-once and keeps the one SyncStatus snapshot. */
export class SyncEngine {
  private readonly tracker = new StatusTracker();
  private inFlight: Promise<CycleResult> | undefined;
  private cycleAbort = new AbortController();
  private wake = new AbortController();
  private stopped = false;
  private paused = false;
  private loop: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  /** Polls and live bookings take turns: one delivery in flight, ledger updates never interleave. */
  private turn: Promise<unknown> = Promise.resolve();
  private readonly deliveredListeners = new Set<(batch: readonly SessionDelta[]) => void>();

  constructor(private readonly o: SyncEngineOptions) {
    this.tracker.update({ mode: 'polling', outboxDepth: o.cycle.outbox.depth, pollIntervalMs: o.config.pollIntervalMs, startedAt: o.clock.now() });
  }

  status(): SyncStatus {
    return this.tracker.get();
  }

  onStatus(listener: (s: SyncStatus) => void): () => void {
    return this.tracker.subscribe(listener);
  }

  /** Every batch AgentWatch accepted (metrics count tokens and USD from these). Returns unsubscribe. */
  onDelivered(listener: (batch: readonly SessionDelta[]) => void): () => void {
    this.deliveredListeners.add(listener);
    return () => this.deliveredListeners.delete(listener);
  }

  start(): void {
    if (this.loop || this.stopped) return;
    this.tracker.update({ phase: this.paused ? 'paused' : 'idle' });
    this.loop = this.runLoop();
    for (const c of this.o.companions ?? []) c.start();
  }

  setMode(mode: 'live' | 'polling'): void {
    if (this.status().mode !== mode) this.tracker.update({ mode });
  }

  /** Live mode: finished runs booked and delivered now (waits its turn behind a running poll). */
  bookLive(runs: readonly FinishedRun[]): Promise<void> {
    if (this.stopped || this.paused) return Promise.resolve();
    const work = this.exclusive(async () => {
      const started = this.o.clock.now();
      const outcome = await runLive({ ...this.o.cycle, hooks: this.hooks() }, runs, this.cycleAbort.signal);
      const events = outcome.plan.deltas.length;
      if (events > 0) this.o.log.info(`Live: ${plural(runs.length, 'finished run')} → ${plural(events, 'event')} (${((this.o.clock.now() - started) / 1000).toFixed(2)}s)`);
      if (outcome.delivery.delivered > 0) this.o.log.info(`✓ Ingested ${plural(outcome.delivery.delivered, 'event')} (total: ${this.status().eventsDelivered})`);
      this.tracker.update((s) => ({ eventsQueued: s.eventsQueued + events, outboxDepth: this.o.cycle.outbox.depth, ...this.o.view.statusPatch() }));
    });
    return work;
  }

  /** Delivers past usage of the UTC days startDate..endDate once; returns what it booked and delivered. */
  backfill(startDate: string, endDate: string): Promise<{ sessions: number; events: number; delivered: number; error: string | null }> {
    return this.exclusive(async () => {
      const outcome = await runBackfill({ ...this.o.cycle, hooks: this.hooks() }, startDate, endDate, this.cycleAbort.signal);
      const sessions = outcome.plan.decisions.filter((x) => x.keep).length;
      return { sessions, events: outcome.plan.deltas.length, delivered: outcome.delivery.delivered, error: outcome.delivery.error?.message ?? (outcome.plan.waiting.length > 0 ? 'OpenClaw usage cache still refreshing; run backfill again in a minute' : null) };
    });
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.turn.then(fn, fn);
    this.turn = run.catch(() => undefined);
    return run;
  }

  pause(): void {
    if (this.stopped || this.paused) return;
    this.paused = true;
    this.cycleAbort.abort(new Error('paused')); // ends retry waits; a request already sent finishes
    this.tracker.update({ phase: 'paused', nextPollAt: null });
    this.o.log.info('Sync paused');
  }

  resume(): void {
    if (this.stopped || !this.paused) return;
    this.paused = false;
    this.tracker.update({ phase: this.inFlight ? 'polling' : 'idle' });
    this.o.log.info('Sync resumed');
    this.wake.abort();
  }

  runOnce(): Promise<CycleResult> {
    if (this.stopped) return Promise.resolve(this.stoppedResult());
    return (this.inFlight ??= this.exclusive(() => this.cycle()).finally(() => {
      this.inFlight = undefined;
    }));
  }

  /** Idempotent; also closes what a loop that gave up on max_errors left open. */
  stop(): Promise<void> {
    return (this.stopping ??= this.shutdown());
  }

  private async shutdown(): Promise<void> {
    this.stopped = true;
    this.cycleAbort.abort(new Error('stopping'));
    this.wake.abort();
    for (const c of this.o.companions ?? []) await c.stop();
    await this.inFlight?.catch(() => undefined);
    await this.turn;
    await this.loop;
    this.tracker.update({ phase: 'stopped', nextPollAt: null });
    await this.o.close();
  }

  private stoppedResult(): CycleResult {
    return { ok: false, sessions: 0, events: 0, delivered: 0, durationMs: 0, error: { message: 'Sync is stopped', code: 'STOPPED', at: this.o.clock.now() } };
  }

  private async runLoop(): Promise<void> {
    while (!this.stopped) {
      if (!this.paused) {
        await this.runOnce();
        const s = this.status();
        if (this.o.maxErrors > 0 && s.consecutiveErrors >= this.o.maxErrors) {
          this.o.log.error(`Stopping after ${s.consecutiveErrors} consecutive failed polls (max_errors=${this.o.maxErrors}). Last error: ${s.lastError?.message ?? 'unknown'}`);
          this.stopped = true;
          // Before the 'stopped' status goes out: a host that exits on it must already know that this was a give-up.
          this.o.onGiveUp?.({ ...this.status(), phase: 'stopped', nextPollAt: null });
          this.tracker.update({ phase: 'stopped', nextPollAt: null });
          return;
        }
      }
      // stop() during that poll aborted the previous wake signal: sleeping on a new one would hold the exit for a whole interval.
      if (this.stopped) return;
      const delay = this.paused ? 3_600_000 : nextDelay(this.status(), this.o.config.pollIntervalMs);
      if (!this.paused) this.tracker.update({ nextPollAt: this.o.clock.now() + delay });
      this.wake = new AbortController();
      await this.o.sleep(delay, this.wake.signal).catch(() => undefined);
    }
  }

  private async cycle(): Promise<CycleResult> {
    const started = this.o.clock.now();
    if (this.cycleAbort.signal.aborted && !this.stopped) this.cycleAbort = new AbortController();
    const pollNo = this.status().pollCount + 1;
    this.tracker.update({ phase: 'polling', pollCount: pollNo, lastPollAt: started });
    let outcome: CycleOutcome | undefined;
    let failure: unknown;
    try {
      outcome = await runCycle({ ...this.o.cycle, hooks: this.hooks() }, this.cycleAbort.signal);
      if (outcome.delivery.error) failure = outcome.delivery.error;
    } catch (e) {
      failure = e;
    }
    return this.finish(pollNo, started, outcome, failure);
  }

  private hooks(): CycleDeps['hooks'] {
    return {
      onDelivered: (batch) => {
        this.tracker.update((s) => ({ eventsDelivered: s.eventsDelivered + batch.length, outboxDepth: this.o.cycle.outbox.depth }));
        for (const listener of this.deliveredListeners) listener(batch);
      },
      onRetry: () => this.tracker.update((s) => ({ eventsRetried: s.eventsRetried + 1 })),
      onDeadLettered: (n) => this.tracker.update((s) => ({ eventsDeadLettered: s.eventsDeadLettered + n, outboxDepth: this.o.cycle.outbox.depth })),
    };
  }

  private finish(pollNo: number, started: number, outcome: CycleOutcome | undefined, failure: unknown): CycleResult {
    const now = this.o.clock.now();
    const durationMs = now - started;
    const events = outcome?.plan.deltas.length ?? 0;
    const delivered = outcome?.delivery.delivered ?? 0;
    const sessions = outcome?.rows.length ?? 0;
    if (outcome) {
      this.o.log.info(`Poll #${pollNo}: ${plural(sessions, 'session')} → ${plural(events, 'event')} (${(durationMs / 1000).toFixed(2)}s)`);
      if (outcome.read) this.o.log.debug(`Poll #${pollNo} usage: ${describeUsageRead(outcome.read)}`);
      if (delivered > 0) this.o.log.info(`✓ Ingested ${plural(delivered, 'event')} (total: ${this.status().eventsDelivered})`);
      if (outcome.dropped > 0) this.o.log.warn(`Outbox full: dropped the ${plural(outcome.dropped, 'oldest event')} (outboxMaxEvents=${this.o.config.outboxMaxEvents})`);
    }
    const view = this.o.view.statusPatch(outcome);
    const error = failure === undefined ? undefined : errorInfo(failure, now, this.o.secrets ?? []);
    if (error) this.o.log.error(`Poll #${pollNo} failed: ${error.message}`);
    this.tracker.update((s) => ({
      ...this.o.peers?.(),
      phase: this.stopped ? 'stopped' : this.paused ? 'paused' : 'idle',
      lastPollMs: durationMs,
      sessionsSeen: outcome ? sessions : s.sessionsSeen,
      eventsQueued: s.eventsQueued + events,
      eventsDropped: s.eventsDropped + (outcome?.dropped ?? 0),
      outboxDepth: this.o.cycle.outbox.depth,
      consecutiveErrors: error ? s.consecutiveErrors + 1 : 0,
      failedPolls: s.failedPolls + (error ? 1 : 0),
      lastError: error ?? s.lastError,
      lastSuccessAt: error ? s.lastSuccessAt : now,
      lastUsageRead: outcome?.read ?? s.lastUsageRead,
      usageRequests: s.usageRequests + (outcome?.read?.requests ?? 0),
      ...view,
    }));
    return error
      ? { ok: false, sessions, events, delivered, durationMs, error }
      : { ok: true, sessions, events, delivered, durationMs };
  }
}
