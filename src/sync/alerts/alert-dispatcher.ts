import { ALERT_MAX_ATTEMPTS, ALERT_RETRY } from '../retry-policy.js';
import type { Alert } from './alert.js';
import { AlertLane, type LaneDeps, type LaneOptions, type LaneStats } from './alert-lane.js';
import type { AlertTarget } from './alert-targets.js';
import { TargetRefusals } from './target-refusals.js';

// Slack asks for about one message a second and PagerDuty allows ~120 events a minute per key; 10 a minute keeps
// a storm (a hundred failing sessions) from burying a channel or paging ten times.
export const DEFAULT_RATE_LIMIT = { max: 10, windowMs: 60_000 };

export interface DispatcherOptions extends Partial<LaneOptions> {
  timeoutMs: number;
  /** Defaults to a fresh memory (the CLI: a refused target stays quiet until the process restarts with a new setting). */
  refusals?: TargetRefusals;
}

/** Fans each alert out to every target's own lane; enqueueing is synchronous and never blocks the caller. */
export class AlertDispatcher {
  private readonly lanes: Array<{ name: string; lane: AlertLane }>;

  constructor(
    targets: readonly AlertTarget[],
    o: DispatcherOptions,
    private readonly deps: LaneDeps,
  ) {
    const options: LaneOptions = {
      rateLimit: o.rateLimit ?? DEFAULT_RATE_LIMIT,
      maxQueue: o.maxQueue ?? 50,
      maxAttempts: o.maxAttempts ?? ALERT_MAX_ATTEMPTS,
      retry: o.retry ?? ALERT_RETRY,
      timeoutMs: o.timeoutMs,
    };
    const memory = { refusals: o.refusals ?? new TargetRefusals() };
    memory.refusals.retain(targets);
    this.lanes = targets.map((t) => ({ name: t.name, lane: new AlertLane(t, options, deps, memory) }));
  }

  enqueue(alert: Alert): void {
    const at = this.deps.clock.now();
    for (const { lane } of this.lanes) lane.push(alert, at);
  }

  stats(): Record<string, LaneStats> {
    return Object.fromEntries(this.lanes.map(({ name, lane }) => [name, lane.stats()]));
  }

  /** Drains every lane for at most `deadlineMs`, then cancels what is still queued or in flight. */
  async stop(deadlineMs: number): Promise<void> {
    await Promise.all(this.lanes.map(({ lane }) => lane.stop(deadlineMs)));
  }
}
