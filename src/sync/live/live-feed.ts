import { errorMessage } from '../errors.js';
import type { GatewayClient } from '../openclaw/gateway-client.js';
import type { Clock, Logger, Sleep } from '../ports.js';
import { LIVE_RESUBSCRIBE } from '../retry-policy.js';
import { finishedRunOf, type FinishedRun } from './finished-run.js';

export type LiveClient = Pick<GatewayClient, 'connect' | 'request' | 'onEvent' | 'onDisconnect' | 'close'>;

export interface LiveFeedOptions {
  client: LiveClient;
  clock: Clock;
  sleep: Sleep;
  log: Logger;
  /** Events arriving within this window become one delivery. */
  debounceMs: number;
  /** Books and delivers finished runs; the engine serialises it with polls. */
  onRuns: (runs: FinishedRun[]) => Promise<void>;
  /** After a (re)subscription: reconcile now, so events missed while disconnected are booked. */
  onResubscribed: () => void;
  /** The socket went silent for more than two ticks: anything may have been missed, so the next poll reads everything. */
  onDeadSocket?: (silentMs: number) => void;
  onModeChange: (mode: 'live' | 'polling') => void;
}

const DEFAULT_TICK_MS = 30_000;

/**
 * Subscribes to sessions.changed and hands finished runs to the engine, debounced. Watches the gateway's tick: no
 * traffic for two tick intervals means a dead socket, so it reconnects, resubscribes and asks for a reconciliation.
 */
export class LiveFeed {
  private stopped = false;
  private pending = new Map<string, FinishedRun>();
  private flushing: Promise<void> | null = null;
  private lastTraffic = 0;
  private tickMs = DEFAULT_TICK_MS;
  private subscribed = false;
  private watching = false;
  private readonly stopSignal = new AbortController();
  private readonly unsubscribers: Array<() => void> = [];

  constructor(private readonly o: LiveFeedOptions) {}

  start(): void {
    this.unsubscribers.push(
      this.o.client.onEvent((event, payload) => this.onEvent(event, payload)),
      this.o.client.onDisconnect(() => this.onDisconnect()),
    );
    void this.subscribeLoop(false);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopSignal.abort(new Error('stopping'));
    for (const u of this.unsubscribers) u();
    await this.flushing;
  }

  private onEvent(event: string, payload: unknown): void {
    this.lastTraffic = this.o.clock.now();
    if (event !== 'sessions.changed' || !this.subscribed) return;
    const run = finishedRunOf(payload);
    if (!run) return;
    this.pending.set(`${run.row.sessionId}|${run.runId}`, run);
    this.flushing ??= this.flushSoon();
  }

  private async flushSoon(): Promise<void> {
    try {
      await this.o.sleep(this.o.debounceMs, this.stopSignal.signal);
    } catch {
      // stopping: the poll's reconciliation books what is pending
    }
    const runs = [...this.pending.values()];
    this.pending = new Map();
    try {
      if (runs.length > 0 && !this.stopped) await this.o.onRuns(runs);
    } catch (e) {
      this.o.log.warn(`Live delivery failed (${errorMessage(e)}); the next poll reconciles it`);
    } finally {
      this.flushing = null;
      if (this.pending.size > 0 && !this.stopped) this.flushing = this.flushSoon();
    }
  }

  private onDisconnect(): void {
    if (!this.subscribed || this.stopped) return;
    this.subscribed = false;
    this.o.onModeChange('polling');
    void this.subscribeLoop(true);
  }

  private async subscribeLoop(isRetry: boolean): Promise<void> {
    let wait = LIVE_RESUBSCRIBE.firstMs;
    while (!this.stopped && !this.subscribed) {
      try {
        const hello = await this.o.client.connect(this.stopSignal.signal);
        if (!hello.methods.includes('sessions.subscribe')) {
          this.o.log.info('This gateway offers no sessions.subscribe: polling only');
          return;
        }
        this.tickMs = hello.tickIntervalMs > 0 ? hello.tickIntervalMs : DEFAULT_TICK_MS;
        await this.o.client.request('sessions.subscribe', {}, { signal: this.stopSignal.signal });
        this.subscribed = true;
        this.lastTraffic = this.o.clock.now();
        this.o.onModeChange('live');
        this.o.log.info('Live updates on: subscribed to sessions.changed');
        if (!this.watching) {
          this.watching = true;
          void this.watchdog();
        }
        if (isRetry) this.o.onResubscribed();
        return;
      } catch (e) {
        if (this.stopped) return;
        this.o.log.debug(`Live subscribe failed (${errorMessage(e)}); retrying in ${wait / 1000}s`);
        await this.o.sleep(wait, this.stopSignal.signal).catch(() => undefined);
        wait = Math.min(wait * 2, LIVE_RESUBSCRIBE.maxMs);
        isRetry = true;
      }
    }
  }

  private async watchdog(): Promise<void> {
    while (!this.stopped) {
      await this.o.sleep(Math.max(50, this.tickMs / 2), this.stopSignal.signal).catch(() => undefined);
      if (this.stopped || !this.subscribed) continue;
      const silentMs = this.o.clock.now() - this.lastTraffic;
      if (silentMs > 2 * this.tickMs) {
        this.o.log.warn(`No traffic from the gateway for ${(silentMs / 1000).toFixed(1)}s (tick every ${this.tickMs / 1000}s): reconnecting`);
        this.o.onDeadSocket?.(silentMs);
        this.o.client.close();
        this.onDisconnect();
      }
    }
  }
}
