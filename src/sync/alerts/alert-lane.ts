import type { Clock, Logger, Sleep } from '../ports.js';
import { retryDelay, type RetryPolicy } from '../retry-policy.js';
import type { Alert } from './alert.js';
import type { AlertTarget } from './alert-targets.js';
import { postWebhook } from './post-webhook.js';
import type { TargetRefusals } from './target-refusals.js';

export interface LaneOptions {
  /** Most requests (retries included) in any window. */
  rateLimit: { max: number; windowMs: number };
  maxQueue: number;
  maxAttempts: number;
  retry: RetryPolicy;
  timeoutMs: number;
}

export interface LaneDeps {
  clock: Clock;
  sleep: Sleep;
  log: Logger;
  random: () => number;
}

export interface LaneMemory {
  /** Shared by the lanes (and the app's "Send test alert"): a target that refused stays quiet until its setting changes. */
  refusals: TargetRefusals;
}

export interface LaneStats {
  sent: number;
  failed: number;
  dropped: number;
  coalesced: number;
  /** Not sent because the target refused an earlier alert and its setting has not changed since. */
  skipped: number;
  queued: number;
}

interface Queued {
  alert: Alert;
  at: number;
}

/** One target's bounded queue, sent one at a time in the background: rate-limited, retried, abortable. */
export class AlertLane {
  private readonly queue: Queued[] = [];
  private readonly sentAt: number[] = [];
  private readonly abort = new AbortController();
  private running: Promise<void> | null = null;
  private inFlight = false;
  private lastDropWarnAt = -Infinity;
  private readonly counts = { sent: 0, failed: 0, dropped: 0, coalesced: 0, skipped: 0 };

  constructor(
    private readonly target: AlertTarget,
    private readonly o: LaneOptions,
    private readonly d: LaneDeps,
    private readonly memory: LaneMemory,
  ) {}

  stats(): LaneStats {
    return { ...this.counts, queued: this.queue.length + (this.inFlight ? 1 : 0) };
  }

  /** Never waits and never throws: the sync's listeners call this. */
  push(alert: Alert, at: number): void {
    if (this.abort.signal.aborted) return;
    if (this.memory.refusals.of(this.target)) {
      this.counts.skipped += 1;
      return;
    }
    if (this.queue.some((q) => q.alert.key === alert.key && q.alert.action === alert.action)) {
      this.counts.coalesced += 1;
      return;
    }
    if (this.queue.length >= this.o.maxQueue) {
      // A resolve closes an incident someone is looking at: drop the oldest trigger first.
      const i = Math.max(0, this.queue.findIndex((q) => q.alert.action === 'trigger'));
      const [gone] = this.queue.splice(i, 1);
      this.counts.dropped += 1;
      this.warnDropped(gone!.alert);
    }
    this.queue.push({ alert, at });
    this.kick();
  }

  /** Lets the queue drain until the deadline, then cancels what is left (counted in the log). */
  async stop(deadlineMs: number): Promise<void> {
    if (this.running) {
      const timer = new AbortController();
      await Promise.race([this.running, this.d.sleep(deadlineMs, timer.signal).catch(() => undefined)]);
      timer.abort();
    }
    const left = this.stats().queued;
    this.abort.abort(new Error('alerts stopping'));
    await this.running;
    if (left > 0) this.d.log.warn(`${this.target.name}: ${left} alert(s) not sent before shutdown (waited ${deadlineMs} ms)`);
  }

  private warnDropped(alert: Alert): void {
    const now = this.d.clock.now();
    if (now - this.lastDropWarnAt < this.o.rateLimit.windowMs) return;
    this.lastDropWarnAt = now;
    const { max, windowMs } = this.o.rateLimit;
    this.d.log.warn(
      `${this.target.name}: more alerts than the rate limit (${max} per ${Math.round(windowMs / 1000)}s) and the queue (${this.o.maxQueue}) allow; ` +
        `dropped "${alert.key}" — ${this.counts.dropped} dropped so far. The sync log has every rule that fired.`,
    );
  }

  private kick(): void {
    if (this.running || this.abort.signal.aborted || this.queue.length === 0) return;
    this.running = this.drain().finally(() => {
      this.running = null;
      this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.abort.signal.aborted) {
      const item = this.queue.shift()!;
      this.inFlight = true;
      try {
        await this.deliver(item);
      } catch (e) {
        if (!this.abort.signal.aborted) this.d.log.error(`${this.target.name}: alert "${item.alert.key}" failed unexpectedly: ${(e as Error).message}`);
      } finally {
        this.inFlight = false;
      }
    }
  }

  private async waitForSlot(): Promise<void> {
    const { max, windowMs } = this.o.rateLimit;
    for (;;) {
      const now = this.d.clock.now();
      while (this.sentAt.length > 0 && this.sentAt[0]! <= now - windowMs) this.sentAt.shift();
      if (this.sentAt.length < max) return;
      await this.d.sleep(this.sentAt[0]! + windowMs - now, this.abort.signal);
    }
  }

  private async deliver({ alert, at }: Queued): Promise<void> {
    const name = this.target.name;
    const what = `${alert.action} "${alert.key}"`;
    for (let attempt = 1; ; attempt++) {
      await this.waitForSlot();
      this.sentAt.push(this.d.clock.now());
      const body = this.target.body(alert, at);
      const r = await postWebhook(this.target.url, body, { timeoutMs: this.o.timeoutMs, signal: this.abort.signal, now: () => this.d.clock.now() });
      if (r.ok) {
        this.counts.sent += 1;
        this.d.log.info(`Alert sent to ${name}: ${what}`);
        return;
      }
      if (!r.retryable) {
        this.counts.failed += 1;
        const line = `${name} refused the alert ${what} (${r.reason}) — ${this.target.advice(r.status)}.`;
        this.d.log.error(`${line} Not retried; no more alerts go to ${name} until its setting changes.`);
        this.memory.refusals.refuse(this.target, line);
        this.counts.skipped += this.queue.length;
        this.queue.length = 0;
        return;
      }
      if (attempt >= this.o.maxAttempts) {
        this.counts.failed += 1;
        this.d.log.error(`${name} alert ${what} not delivered after ${attempt} attempts (${r.reason}); giving up — check the network and ${name}'s status page.`);
        return;
      }
      const delay = retryDelay(this.o.retry, attempt, this.d.random, r.retryAfterMs);
      this.d.log.warn(`${name} alert ${what}: ${r.reason} — retry ${attempt} in ${(delay / 1000).toFixed(1)}s`);
      await this.d.sleep(delay, this.abort.signal);
    }
  }
}
