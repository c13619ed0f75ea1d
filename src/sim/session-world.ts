import { randomUUID } from 'node:crypto';
import type { Clock } from '../sync/ports.js';

export interface ModelPrice {
  provider: string;
  model: string;
  /** USD per 1M tokens. */
  input: number;
  output: number;
  contextTokens: number;
  /** No `cost` in the gateway's config: its runs cost 0 and count as entries OpenClaw could not price. */
  unpriced?: boolean;
}

export interface SessionSpec {
  key: string;
  agentId: string;
  classification: string;
  kind?: 'direct' | 'group';
  label?: string;
  channel?: string;
  model: ModelPrice;
  createdVia?: string;
}

interface Run {
  id: string;
  input: number;
  output: number;
  costUsd: number;
  startedAt: number;
  endedAt: number | null;
}

interface RunRecord {
  endedAt: number;
  input: number;
  output: number;
  costUsd: number;
  unpriced: number;
}

interface SimSession extends SessionSpec {
  history: RunRecord[];
  sessionId: string;
  createdAt: number;
  updatedAt: number;
  lastActivityAt: number | null;
  input: number;
  output: number;
  costUsd: number;
  /** missingCostEntries: one per run of an unpriced model. */
  unpriced: number;
  firstActivity: number | null;
  lastRun: Run | null;
  running: Run | null;
  /** Archived by the gateway's maintenance: gone from sessions.list, still in sessions.usage. */
  archived?: boolean;
}

interface UsageOnly {
  key: string;
  agentId: string;
  sessionId: string;
  input: number;
  output: number;
  costUsd: number;
  unpriced: number;
  updatedAt: number;
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function priceOf(m: ModelPrice, input: number, output: number): number {
  if (m.unpriced) return 0;
  return (input * m.input + output * m.output) / 1_000_000;
}

/**
 * A gateway's sessions as the simulator serves them: rows shaped like `sessions.list` and a `sessions.usage`
 * payload whose cumulative figures are exactly the sum of the runs played, so tests know the truth.
 */
export class SessionWorld {
  private readonly sessions = new Map<string, SimSession>();
  /** Finished transcripts of reset sessions: usage rows keyed agent:<id>:<oldSessionId>, as the gateway does. */
  private readonly retired: UsageOnly[] = [];

  constructor(private readonly clock: Clock) {}

  add(spec: SessionSpec, sessionId: string = randomUUID()): void {
    const now = this.clock.now();
    this.sessions.set(spec.key, {
      ...spec, sessionId, createdAt: now, updatedAt: now, lastActivityAt: null,
      input: 0, output: 0, costUsd: 0, unpriced: 0, firstActivity: null, lastRun: null, running: null, history: [],
    });
  }

  keys(): string[] {
    return [...this.sessions.keys()];
  }

  private get(key: string): SimSession {
    const s = this.sessions.get(key);
    if (!s) throw new Error(`no simulated session ${key}`);
    return s;
  }

  startRun(key: string): void {
    const s = this.get(key);
    s.running = { id: randomUUID(), input: 0, output: 0, costUsd: 0, startedAt: this.clock.now(), endedAt: null };
    s.updatedAt = this.clock.now();
  }

  /** Completes a run (starting one if needed) that used these tokens. */
  finishRun(key: string, input: number, output: number): void {
    const s = this.get(key);
    const now = this.clock.now();
    const run = s.running ?? { id: randomUUID(), input: 0, output: 0, costUsd: 0, startedAt: now, endedAt: null };
    Object.assign(run, { input, output, costUsd: priceOf(s.model, input, output), endedAt: now });
    s.input += input;
    s.output += output;
    s.costUsd += run.costUsd;
    s.unpriced += s.model.unpriced ? 1 : 0;
    s.firstActivity ??= run.startedAt;
    s.lastRun = run;
    s.history.push({ endedAt: now, input, output, costUsd: run.costUsd, unpriced: s.model.unpriced ? 1 : 0 });
    s.running = null;
    s.lastActivityAt = now;
    s.updatedAt = now;
  }

  /** A reset: the key gets a new sessionId; the old transcript's usage stays under agent:<id>:<oldSessionId>. */
  reset(key: string): void {
    const s = this.get(key);
    this.retired.push({ key: `agent:${s.agentId}:${s.sessionId}`, agentId: s.agentId, sessionId: s.sessionId, input: s.input, output: s.output, costUsd: s.costUsd, unpriced: s.unpriced, updatedAt: s.updatedAt });
    this.sessions.delete(key);
    this.add(s);
  }

  /** The gateway's store maintenance archives a row: sessions.list stops showing it, sessions.usage keeps it. */
  archive(key: string): void {
    this.get(key).archived = true;
  }

  sessionIdOf(key: string): string {
    return this.get(key).sessionId;
  }

  rows(): Record<string, unknown>[] {
    const snapshotAt = this.clock.now();
    return [...this.sessions.values()].filter((s) => !s.archived).map((s) => rowOf(s, snapshotAt));
  }

  /** Like sessions.usage: lifetime figures, or with startDate/endDate (UTC days) only the runs that ended in them. */
  usagePayload(params: Record<string, unknown> = {}): Record<string, unknown> {
    const now = this.clock.now();
    const from = typeof params.startDate === 'string' ? Date.parse(`${params.startDate}T00:00:00Z`) : -Infinity;
    const to = typeof params.endDate === 'string' ? Date.parse(`${params.endDate}T00:00:00Z`) + 86_400_000 : Infinity;
    const windowed = Number.isFinite(from) || Number.isFinite(to);
    const live: UsageOnly[] = [...this.sessions.values()].map((s) => {
      const runs = windowed ? s.history.filter((r) => r.endedAt >= from && r.endedAt < to) : null;
      const sum = (f: (r: RunRecord) => number) => (runs ? runs.reduce((t, r) => t + f(r), 0) : 0);
      return { key: s.key, agentId: s.agentId, sessionId: s.sessionId, input: runs ? sum((r) => r.input) : s.input, output: runs ? sum((r) => r.output) : s.output, costUsd: runs ? sum((r) => r.costUsd) : s.costUsd, unpriced: runs ? sum((r) => r.unpriced) : s.unpriced, updatedAt: s.updatedAt };
    });
    const all = [...live.filter((u) => !windowed || u.input + u.output > 0), ...(windowed ? [] : this.retired)];
    const sum = (f: (u: UsageOnly) => number) => all.reduce((t, u) => t + f(u), 0);
    const models = new Map([...this.sessions.values()].map((s) => [s.sessionId, s.model]));
    return {
      updatedAt: now,
      startDate: typeof params.startDate === 'string' ? params.startDate : '1970-01-01',
      endDate: typeof params.endDate === 'string' ? params.endDate : isoDay(now),
      sessions: all.map((u) => ({
        key: u.key, label: null, sessionId: u.sessionId, scope: 'instance', updatedAt: u.updatedAt, agentId: u.agentId,
        modelProvider: models.get(u.sessionId)?.provider ?? null, model: models.get(u.sessionId)?.model ?? null,
        usage: { input: u.input, output: u.output, cacheRead: 0, cacheWrite: 0, totalTokens: u.input + u.output, totalCost: u.costUsd, missingCostEntries: u.unpriced, sessionId: u.sessionId },
      })),
      totals: { input: sum((u) => u.input), output: sum((u) => u.output), cacheRead: 0, cacheWrite: 0, totalTokens: sum((u) => u.input + u.output), totalCost: sum((u) => u.costUsd), missingCostEntries: sum((u) => u.unpriced) },
      cacheStatus: { status: 'fresh', cachedFiles: all.length, pendingFiles: 0, staleFiles: 0, refreshedAt: now },
    };
  }
}

function rowOf(s: SimSession, snapshotAt: number): Record<string, unknown> {
  const run = s.running ?? s.lastRun;
  const last = s.lastRun;
  const group = s.kind === 'group';
  return {
    key: s.key, kind: s.kind ?? 'direct', classification: s.classification, agentId: s.agentId,
    isMain: s.classification === 'main', isBackground: s.classification === 'subagent' || s.classification === 'cron',
    displayName: s.label ?? (group ? s.key.split(':').slice(2).join(':') : s.classification), createdVia: s.createdVia ?? 'run',
    ...(s.label ? { label: s.label } : {}), ...(s.channel ? { channel: s.channel, chatType: group ? s.classification : 'direct' } : {}),
    createdAt: s.createdAt, updatedAt: s.updatedAt, archived: false, pinned: false, unread: last !== null,
    ...(s.lastActivityAt ? { lastInteractionAt: s.lastActivityAt, lastActivityAt: s.lastActivityAt } : {}),
    sessionId: s.sessionId,
    ...(last ? { inputTokens: last.input, outputTokens: last.output, totalTokens: last.input, totalTokensFresh: true, ...(s.model.unpriced ? {} : { estimatedCostUsd: last.costUsd }) } : {}),
    ...(run ? { status: s.running ? 'running' : 'done', startedAt: run.startedAt } : {}),
    ...(last && !s.running ? { endedAt: last.endedAt, runtimeMs: (last.endedAt ?? 0) - last.startedAt, lastRunId: last.id } : {}),
    modelProvider: s.model.provider, model: s.model.model, contextTokens: s.model.contextTokens,
    snapshotAt, hasActiveRun: s.running !== null, activeRunIds: s.running ? [s.running.id] : [],
  };
}
