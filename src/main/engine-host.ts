import { checkFilter } from '../shared/filter-dsl/parse-filter.js';
import type { CycleResult, FilterPreview, SyncStatus } from '../shared/sync-status.js';
import { initialStatus } from '../shared/sync-status.js';
import { errorMessage, isSyncError } from '../sync/errors.js';
import type { MetricsSource } from '../sync/metrics/sync-metrics.js';
import { systemClock, type Clock, type Logger } from '../sync/ports.js';
import type { Engine } from '../sync/engine.js';

/** What the tray app needs beyond Engine: metrics feed on deliveries, the settings window previews filters. */
export type HostedEngine = Engine & MetricsSource & { previewFilter(expression: string): FilterPreview };

/** Runs beside each engine (the metrics server): called after it starts, its result before it stops. */
export type EngineCompanion = (engine: HostedEngine) => Promise<() => Promise<void>>;

/**
 * Owns the one running engine and swaps it when settings or secrets change (old one stopped first, so two
 * engines never share the state dir). Listeners subscribe here, not to an engine, so they survive restarts.
 */
export class EngineHost {
  private engine: HostedEngine | undefined;
  private unsubscribe: () => void = () => {};
  private detach: () => Promise<void> = async () => {};
  private readonly listeners = new Set<(s: SyncStatus) => void>();
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly create: () => Promise<HostedEngine>,
    private readonly log: Logger,
    private readonly clock: Clock = systemClock,
    private readonly companion?: EngineCompanion,
  ) {}

  start(): Promise<void> {
    return this.serial(() => this.spawn(false));
  }

  /** Stops the running engine, then builds a new one from the current settings; keeps a pause in place. */
  restart(): Promise<void> {
    return this.serial(async () => {
      const wasPaused = this.engine?.status().phase === 'paused';
      await this.stopCurrent();
      await this.spawn(wasPaused);
    });
  }

  /** Flushes and closes the engine (the outbox is written before this resolves). */
  stop(): Promise<void> {
    return this.serial(() => this.stopCurrent());
  }

  current(): HostedEngine {
    if (!this.engine) throw new Error('The sync engine is not running yet; try again in a moment.');
    return this.engine;
  }

  status(): SyncStatus {
    return this.engine?.status() ?? initialStatus();
  }

  onStatus(listener: (s: SyncStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private serial(step: () => Promise<void>): Promise<void> {
    const run = this.queue.then(step);
    this.queue = run.catch(() => {});
    return run;
  }

  private async stopCurrent(): Promise<void> {
    const old = this.engine;
    if (!old) return;
    this.unsubscribe();
    await this.detach().catch((e: unknown) => this.log.error(`Stopping beside the sync engine failed: ${errorMessage(e)}`));
    this.detach = async () => {};
    await old.stop();
    this.engine = undefined;
  }

  private async spawn(paused: boolean): Promise<void> {
    let engine: HostedEngine;
    try {
      engine = await this.create();
    } catch (e) {
      // The app must stay up so the user can fix the settings: show the error instead of an engine.
      this.log.error(`Sync engine could not start: ${errorMessage(e)}`);
      engine = failedEngine(isSyncError(e) ? e.code : 'CONFIG', errorMessage(e), this.clock.now());
    }
    this.engine = engine;
    this.unsubscribe = engine.onStatus((s) => this.emit(s));
    if (paused) engine.pause();
    engine.start();
    this.emit(engine.status());
    if (this.companion) {
      try {
        this.detach = await this.companion(engine);
      } catch (e) {
        this.log.error(`Starting beside the sync engine failed: ${errorMessage(e)}`);
      }
    }
  }

  private emit(s: SyncStatus): void {
    for (const l of this.listeners) {
      try {
        l(s);
      } catch (e) {
        this.log.error(`Status listener failed: ${errorMessage(e)}`);
      }
    }
  }
}

/** Stands in for an engine that could not be built, so the tray and window show why. */
export function failedEngine(code: string, message: string, at: number): HostedEngine {
  const error = { code, message, at };
  const status: SyncStatus = { ...initialStatus(), phase: 'idle', lastError: error, consecutiveErrors: 1 };
  const result: CycleResult = { ok: false, sessions: 0, events: 0, delivered: 0, durationMs: 0, error };
  return {
    start() {},
    stop: async () => {},
    pause() {},
    resume() {},
    runOnce: async () => result,
    status: () => status,
    onStatus: () => () => {},
    usageByHour: () => [],
    onDelivered: () => () => {},
    // Still checks the syntax, so the settings window can be fixed while the engine is down.
    previewFilter: (expression) => {
      const problem = checkFilter(expression);
      return problem ? { ok: false, error: problem.message, column: problem.column } : { ok: true, decisions: [] };
    },
  };
}
