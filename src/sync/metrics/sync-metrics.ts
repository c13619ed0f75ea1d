import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { SessionDelta } from '../delta.js';
import type { SyncStatus } from '../../shared/sync-status.js';
import { DeliveredTotals } from './delivered-totals.js';

/** What the metrics read from the engine (SyncEngine satisfies it). */
export interface MetricsSource {
  status(): SyncStatus;
  onStatus(listener: (s: SyncStatus) => void): () => void;
  onDelivered(listener: (batch: readonly SessionDelta[]) => void): () => void;
}

export interface SyncMetrics {
  readonly registry: Registry;
  /** Stops listening to the engine. */
  close(): void;
}

const PREFIX = 'agentwatch_sync_';
// From a 50-session poll (milliseconds) to a slow 10k-session one behind a struggling AgentWatch.
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const DIRECTIONS = [
  ['input', 'input'],
  ['output', 'output'],
  ['cache_read', 'cacheRead'],
  ['cache_write', 'cacheWrite'],
] as const;

let processRegistry: Registry | undefined;

/**
 * Node's process metrics, once per process: collectDefaultMetrics starts an event-loop monitor that nothing stops,
 * and the tray app builds a new engine (and metrics) on every settings change.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    // 100 ms instead of prom-client's 10 ms: the event-loop-lag sampler would otherwise wake an idle sync 100×/s.
    collectDefaultMetrics({ register: processRegistry, eventLoopMonitoringPrecision: 100 });
  }
  return processRegistry;
}

/** Polls that finished (the running one, if any, is counted when it ends). */
function finishedPolls(s: SyncStatus): number {
  return s.pollCount - (s.phase === 'polling' ? 1 : 0);
}

/**
 * The Prometheus view of one engine. Counters and gauges are read from the SyncStatus snapshot at scrape time
 * (so they can never drift from what the tray shows); tokens and USD come from the batches AgentWatch accepted.
 */
export function createSyncMetrics(source: MetricsSource, opts: { defaultMetrics?: boolean } = {}): SyncMetrics {
  const own = new Registry();
  const registers = [own];
  const totals = new DeliveredTotals();

  new Counter({
    name: `${PREFIX}polls_total`,
    help: 'Polls finished, by result (ok or error).',
    labelNames: ['result'],
    registers,
    collect() {
      const s = source.status();
      this.reset();
      this.inc({ result: 'ok' }, Math.max(0, finishedPolls(s) - s.failedPolls));
      this.inc({ result: 'error' }, s.failedPolls);
    },
  });
  const duration = new Histogram({
    name: `${PREFIX}poll_duration_seconds`,
    help: 'Wall time of one poll: read the gateway, book, deliver.',
    buckets: DURATION_BUCKETS,
    registers,
  });
  const reads = new Counter({
    name: `${PREFIX}usage_reads_total`,
    help: 'Polls by the usage they read: none (nothing changed), per_key (a few changed), all (reconciliation or many changed).',
    labelNames: ['path'],
    registers,
  });
  for (const path of ['none', 'per_key', 'all']) reads.inc({ path }, 0);
  new Counter({
    name: `${PREFIX}usage_requests_total`,
    help: 'sessions.usage requests made to the gateway (each per-key read is one).',
    registers,
    collect() {
      this.reset();
      this.inc(source.status().usageRequests);
    },
  });
  new Gauge({
    name: `${PREFIX}sessions_seen`,
    help: 'Sessions the last successful poll read from the gateway.',
    registers,
    collect() {
      this.set(source.status().sessionsSeen);
    },
  });
  new Counter({
    name: `${PREFIX}events_total`,
    help: 'Session deltas by outcome: delivered, retried (attempts), dropped (outbox full), dead_lettered (rejected).',
    labelNames: ['outcome'],
    registers,
    collect() {
      const s = source.status();
      this.reset();
      this.inc({ outcome: 'delivered' }, s.eventsDelivered);
      this.inc({ outcome: 'retried' }, s.eventsRetried);
      this.inc({ outcome: 'dropped' }, s.eventsDropped);
      this.inc({ outcome: 'dead_lettered' }, s.eventsDeadLettered);
    },
  });
  new Gauge({
    name: `${PREFIX}outbox_depth`,
    help: 'Events booked durably and not yet accepted by AgentWatch.',
    registers,
    collect() {
      this.set(source.status().outboxDepth);
    },
  });
  new Gauge({
    name: `${PREFIX}last_success_timestamp_seconds`,
    help: 'Unix time of the last successful poll (0 before the first).',
    registers,
    collect() {
      this.set((source.status().lastSuccessAt ?? 0) / 1000);
    },
  });
  new Counter({
    name: `${PREFIX}tokens_total`,
    help: 'Tokens delivered to AgentWatch, by agent, model and direction.',
    labelNames: ['agent', 'model', 'direction'],
    registers,
    collect() {
      this.reset();
      for (const t of totals.all()) {
        for (const [direction, field] of DIRECTIONS) this.inc({ agent: t.agent, model: t.model, direction }, t[field]);
      }
    },
  });
  new Counter({
    name: `${PREFIX}cost_usd_total`,
    help: 'USD delivered to AgentWatch, by agent and model.',
    labelNames: ['agent', 'model'],
    registers,
    collect() {
      this.reset();
      // Rounding settlements can be negative micro-USD; a counter never goes below zero.
      for (const t of totals.all()) this.inc({ agent: t.agent, model: t.model }, Math.max(0, t.costMicros) / 1_000_000);
    },
  });
  new Counter({
    name: `${PREFIX}unpriced_entries_total`,
    help: 'Entries OpenClaw could not price (no cost for the model), delivered to AgentWatch, by agent and model: cost_usd_total leaves their cost out.',
    labelNames: ['agent', 'model'],
    registers,
    collect() {
      this.reset();
      for (const t of totals.all()) this.inc({ agent: t.agent, model: t.model }, t.unpriced);
    },
  });

  let observed = finishedPolls(source.status());
  let readsCounted = source.status().pollCount - source.status().failedPolls;
  const offStatus = source.onStatus((s) => {
    const finished = finishedPolls(s);
    if (finished > observed && s.lastPollMs !== null) duration.observe(s.lastPollMs / 1000);
    if (finished > observed && s.lastUsageRead && s.pollCount - s.failedPolls > readsCounted) {
      readsCounted = s.pollCount - s.failedPolls;
      reads.inc({ path: s.lastUsageRead.path.replace('-', '_') });
    }
    observed = Math.max(observed, finished);
  });
  const offDelivered = source.onDelivered((batch) => totals.add(batch));

  // Merged after every metric above is registered: merge copies the metrics a registry holds at that moment.
  const registry = (opts.defaultMetrics ?? true) ? Registry.merge([processMetrics(), own]) : own;
  return {
    registry,
    close() {
      offStatus();
      offDelivered();
    },
  };
}
