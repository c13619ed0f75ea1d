import type { SimAgentWatch } from '../../src/sim/agentwatch-server.js';
import type { SessionWorld, ModelPrice } from '../../src/sim/session-world.js';
import { DEFAULT_CLASSES } from '../../src/shared/settings.js';
import { usdToMicros, ZERO_WATERMARK, type Watermark } from '../../src/sync/delta.js';
import { deltaIdOf } from '../../src/sync/ids.js';
import { realSleep, type Clock, type Sleep } from '../../src/sync/ports.js';

export const MODEL: ModelPrice = { provider: 'fakellm', model: 'fake-model-1', input: 3, output: 15, contextTokens: 128_000 };

export interface Received {
  id: string;
  input: number;
  output: number;
  costMicros: number;
}

export interface Totals {
  input: number;
  output: number;
  costMicros: number;
}

/** What AgentWatch received, one entry per llm_call event (agentwatch sink) or bulk event (seed sink), repeats kept. */
export function receivedEvents(aw: SimAgentWatch): Received[] {
  const fromEvents = aw.events.map((e) => ({
    id: String(e.attributes?.sync_event_id),
    input: e.input_tokens ?? 0,
    output: e.output_tokens ?? 0,
    costMicros: usdToMicros(Number(e.attributes?.cost_usd ?? 0)),
  }));
  const fromBulk = (aw.bulkEvents as Array<{ event_id: string; input_tokens: number; output_tokens: number; cost_usd: number }>).map((e) => ({
    id: e.event_id,
    input: e.input_tokens,
    output: e.output_tokens,
    costMicros: usdToMicros(e.cost_usd),
  }));
  return [...fromEvents, ...fromBulk];
}

/** Repeats beyond the first copy of each id. */
export function duplicateCount(received: readonly Received[]): number {
  return received.length - new Set(received.map((r) => r.id)).size;
}

export function sumOf(received: Iterable<Totals>): Totals {
  const t = { input: 0, output: 0, costMicros: 0 };
  for (const r of received) {
    t.input += r.input;
    t.output += r.output;
    t.costMicros += r.costMicros;
  }
  return t;
}

/** Totals counting each sync_event_id once: what an idempotent receiver would hold. */
export function dedupedTotals(received: readonly Received[]): Totals {
  return sumOf(new Map(received.map((r) => [r.id, r])).values());
}

/** Cost rows as AgentWatch's dashboard sums them (repeats included). */
export function costRowTotals(aw: SimAgentWatch): Totals {
  return sumOf(aw.costs.map((c) => ({ input: c.input_tokens ?? 0, output: c.output_tokens ?? 0, costMicros: usdToMicros(c.amount) })));
}

interface UsageRowLike {
  key: string;
  sessionId: string;
  usage: { input: number; output: number; totalCost: number };
}

function usageRows(world: SessionWorld): UsageRowLike[] {
  return (world.usagePayload() as { sessions: UsageRowLike[] }).sessions;
}

/** The gateway's own cumulative figures for every session the filter syncs (`skip` names keys never synced, e.g. cron). */
export function worldTotals(world: SessionWorld, skip: (key: string) => boolean = (k) => k.includes(':cron:')): Totals {
  return sumOf(usageRows(world).filter((r) => !skip(r.key)).map((r) => ({ input: r.usage.input, output: r.usage.output, costMicros: usdToMicros(r.usage.totalCost) })));
}

/**
 * The delta ids a correct engine books, computed from the world as each poll saw it: one id per session per poll
 * in which its cumulative figure moved. Call `observe` once after every poll that read the gateway.
 */
export class ExpectedDeltas {
  readonly ids = new Set<string>();
  private readonly last = new Map<string, Watermark>();

  constructor(
    private readonly gatewayId: string,
    private readonly syncedClasses: readonly string[] = DEFAULT_CLASSES,
  ) {}

  observe(world: SessionWorld): void {
    const synced = new Set(
      world
        .rows()
        .filter((r) => this.syncedClasses.includes(String(r.classification)))
        .map((r) => String(r.sessionId)),
    );
    for (const row of usageRows(world)) {
      if (!synced.has(row.sessionId) && !this.last.has(row.sessionId)) continue;
      const prev = this.last.get(row.sessionId) ?? ZERO_WATERMARK;
      const next: Watermark = { input: row.usage.input, output: row.usage.output, cacheRead: 0, cacheWrite: 0, costMicros: usdToMicros(row.usage.totalCost) };
      if (next.input + next.output === 0) continue;
      if (prev.input === next.input && prev.output === next.output && prev.costMicros === next.costMicros) continue;
      this.ids.add(deltaIdOf(this.gatewayId, row.sessionId, prev, next, 'success'));
      this.last.set(row.sessionId, next);
    }
  }
}

/**
 * Virtual time for in-process engines: a wait the test calls virtual returns at once and moves the clock, so
 * retry backoffs and Retry-After waits cost no wall time, and each is recorded. The engine shares one Sleep with
 * the gateway client's timers (request deadline, handshake timeout), so those must stay real: `isVirtual` tells
 * them apart by duration (the tests pick a request timeout that no retry wait equals).
 */
export class TimeWarp {
  private offset = 0;
  readonly waits: number[] = [];
  readonly clock: Clock = { now: () => Date.now() + this.offset };
  readonly sleep: Sleep;

  constructor(isVirtual: (ms: number) => boolean) {
    this.sleep = (ms, signal) => {
      if (!isVirtual(ms)) return realSleep(ms, signal);
      if (signal?.aborted) return Promise.reject(signal.reason);
      this.waits.push(ms);
      this.offset += ms;
      return new Promise((resolve) => setImmediate(resolve));
    };
  }
}

/** Sessions `agent:main:subagent:s<i>`, each with one finished run of distinct size. */
export function addSessions(world: SessionWorld, count: number, from = 0): string[] {
  const keys: string[] = [];
  for (let i = from; i < from + count; i++) {
    const key = `agent:main:subagent:s${i}`;
    world.add({ key, agentId: i % 3 === 0 ? 'ops' : 'main', classification: 'subagent', model: MODEL });
    world.finishRun(key, 100 + i * 7, 10 + i);
    keys.push(key);
  }
  return keys;
}

/** Another round of runs on every `step`-th session, sizes varying by round. */
export function growWorld(world: SessionWorld, round: number, step = 2): void {
  world.keys().forEach((key, i) => {
    if (key.includes(':cron:') || (i + round) % step !== 0) return;
    world.finishRun(key, 50 + ((round * 131 + i * 17) % 900), 5 + ((round * 7 + i) % 60));
  });
}
