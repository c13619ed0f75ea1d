import type { HostedEngine } from '../../src/main/engine-host.js';
import type { CycleResult, FilterPreview, HourlyUsage, SyncStatus } from '../../src/shared/sync-status.js';
import { initialStatus } from '../../src/shared/sync-status.js';
import type { SessionDelta } from '../../src/sync/delta.js';

// The default setting's interval, which the tray used before the interval travelled in the status.
const FAKE_INTERVAL_MS = 30_000;

/** A scriptable engine: records calls, lets the test push statuses, and can hold `stop()` open. */
export class FakeEngine implements HostedEngine {
  calls: string[] = [];
  current: SyncStatus;
  private readonly listeners = new Set<(s: SyncStatus) => void>();
  stopGate: Promise<void> = Promise.resolve();
  usage: HourlyUsage[] = [];
  preview: FilterPreview = { ok: true, decisions: [] };
  private readonly deliveredListeners = new Set<(batch: readonly SessionDelta[]) => void>();

  constructor(status: Partial<SyncStatus> = {}) {
    this.current = { ...initialStatus(), phase: 'idle', pollIntervalMs: FAKE_INTERVAL_MS, ...status };
  }
  start(): void {
    this.calls.push('start');
  }
  async stop(): Promise<void> {
    this.calls.push('stop');
    await this.stopGate;
    this.calls.push('stopped');
  }
  pause(): void {
    this.calls.push('pause');
    this.emit({ phase: 'paused' });
  }
  resume(): void {
    this.calls.push('resume');
    this.emit({ phase: 'idle' });
  }
  async runOnce(): Promise<CycleResult> {
    this.calls.push('runOnce');
    return { ok: true, sessions: 1, events: 2, delivered: 2, durationMs: 5 };
  }
  status(): SyncStatus {
    return this.current;
  }
  onStatus(listener: (s: SyncStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  usageByHour(hours: number): HourlyUsage[] {
    this.calls.push(`usageByHour:${hours}`);
    return this.usage;
  }
  previewFilter(expression: string): FilterPreview {
    this.calls.push(`previewFilter:${expression}`);
    return this.preview;
  }
  onDelivered(listener: (batch: readonly SessionDelta[]) => void): () => void {
    this.deliveredListeners.add(listener);
    return () => this.deliveredListeners.delete(listener);
  }
  /** Listeners still subscribed to deliveries (a closed metrics server must leave none). */
  deliveredListenerCount(): number {
    return this.deliveredListeners.size;
  }
  emit(patch: Partial<SyncStatus>): void {
    this.current = { ...this.current, ...patch };
    for (const l of this.listeners) l(this.current);
  }
}

export function deferred<T = void>(): { promise: Promise<T>; resolve(value: T): void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Collects log lines by level so tests can assert a WARN was written. */
export function recordingLogger() {
  const lines: Array<{ level: string; message: string }> = [];
  const at = (level: string) => (message: string) => void lines.push({ level, message });
  return {
    lines,
    warnings: () => lines.filter((l) => l.level === 'warn').map((l) => l.message),
    log: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
  };
}

export function status(patch: Partial<SyncStatus> = {}): SyncStatus {
  return { ...initialStatus(), phase: 'idle', pollIntervalMs: FAKE_INTERVAL_MS, ...patch };
}
