import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

type Row = Record<string, unknown>;

interface Session {
  index: number;
  row: Row;
  usage: Row & { usage: Row & { input: number; output: number; totalTokens: number; totalCost: number } };
  input: number;
  output: number;
  costUsd: number;
}

const AGENTS = ['main', 'ops', 'research', 'support', 'builder'];
const MODEL = { provider: 'fakellm', model: 'fake-model-1', input: 3, output: 15 };

function fixture(root: string, name: string): { payload: Row } {
  return JSON.parse(readFileSync(join(root, 'test/fixtures/openclaw', name), 'utf8')) as { payload: Row };
}

export interface WorldShape {
  /**
   * History: the sessions start with one finished run each, `updatedAt` spread over the past 90 days and older than
   * any list window, except the `recent` newest ones (updated minutes ago: listed, but not changed). Without it
   * every session has just finished a run (the all-changed worst case).
   */
  history?: { recent: number };
}

const MINUTE = 60_000;
const HISTORY_MS = 90 * 24 * 60 * MINUTE;
/** Older than the engine's default list window (activeMinutes 30) and any window the bench asks for. */
const HISTORY_NEWEST_AGE_MS = 120 * MINUTE;

/** A gateway with `n` sessions whose rows copy the bulky fields of the captured sessions.list / sessions.usage rows. */
export class BenchWorld {
  private readonly sessions: Session[] = [];
  private readonly byKey = new Map<string, Session>();
  private readonly listPayload: Row;
  private readonly usagePayloadBase: Row;
  private round = 0;
  /** The next session `finishSome` changes (they take turns, oldest change first). */
  private cursor = 0;

  constructor(root: string, n: number, now: number, shape: WorldShape = {}) {
    const list = fixture(root, 'sessions.list.snap2.json').payload;
    const usage = fixture(root, 'sessions.usage.snap2.json').payload;
    const rowTemplates = (list.sessions as Row[]).filter((r) => r.classification !== 'cron');
    const usageTemplate = (usage.sessions as Row[]).find((r) => r.key === 'agent:main:main') as Session['usage'];
    this.listPayload = { ...list, sessions: [] };
    this.usagePayloadBase = { ...usage, sessions: [] };
    for (let i = 0; i < n; i++) {
      const t = rowTemplates[i % rowTemplates.length] as Row;
      const agentId = AGENTS[i % AGENTS.length] as string;
      const sessionId = randomUUID();
      const key = `agent:${agentId}:${String(t.classification)}:bench-${i}`;
      const row: Row = structuredClone({ ...t, key, agentId, sessionId, createdAt: now - 86_400_000, model: MODEL.model, modelProvider: MODEL.provider });
      const u = structuredClone(usageTemplate);
      Object.assign(u, { key, label: String(t.classification), sessionId, agentId, model: MODEL.model, modelProvider: MODEL.provider });
      u.usage.sessionId = sessionId;
      const s: Session = { index: i, row, usage: u, input: 0, output: 0, costUsd: 0 };
      this.sessions.push(s);
      this.byKey.set(key, s);
    }
    if (!shape.history) return void this.finishAll(now);
    this.round += 1;
    const recent = Math.min(shape.history.recent, n);
    for (let i = 0; i < n; i++) {
      // The first `recent` sessions were updated 1–20 minutes ago; the rest, newest first, over the past 90 days.
      const at = i < recent ? now - MINUTE - Math.floor((i / Math.max(1, recent)) * 19 * MINUTE) : now - HISTORY_NEWEST_AGE_MS - Math.floor(((i - recent) / n) * HISTORY_MS);
      this.finish(i, at);
    }
    this.cursor = recent;
  }

  get size(): number {
    return this.sessions.length;
  }

  keyOf(i: number): string {
    return this.sessions[i]?.row.key as string;
  }

  /** Every session finishes one more run (the worst case of a poll: all of them changed). */
  finishAll(now: number): void {
    this.round += 1;
    for (let i = 0; i < this.sessions.length; i++) this.finish(i, now);
  }

  /** `k` sessions finish one more run each, taking turns through the history (newest first); returns their keys. */
  finishSome(k: number, now: number): string[] {
    this.round += 1;
    const keys: string[] = [];
    for (let j = 0; j < Math.min(k, this.sessions.length); j++) {
      const i = this.cursor;
      this.cursor = (this.cursor + 1) % this.sessions.length;
      keys.push(this.finish(i, now).key as string);
    }
    return keys;
  }

  /** One session finishes a run; returns its new row (the sessions.changed payload carries it). */
  finish(i: number, now: number): Row {
    const s = this.sessions[i] as Session;
    const input = 1_000 + ((i * 131 + this.round * 977) % 9_000);
    const output = 20 + ((i * 11 + this.round * 37) % 700);
    const cost = (input * MODEL.input + output * MODEL.output) / 1_000_000;
    s.input += input;
    s.output += output;
    s.costUsd += cost;
    Object.assign(s.row, {
      inputTokens: input, outputTokens: output, totalTokens: input, totalTokensFresh: true, estimatedCostUsd: cost,
      status: 'done', startedAt: now - 1_500, endedAt: now - 1, runtimeMs: 1_499, lastRunId: randomUUID(),
      updatedAt: now, lastActivityAt: now - 1, lastInteractionAt: now - 1, hasActiveRun: false, activeRunIds: [],
    });
    Object.assign(s.usage, { updatedAt: now });
    Object.assign(s.usage.usage, { input: s.input, output: s.output, totalTokens: s.input + s.output, totalCost: s.costUsd, lastActivity: now - 1 });
    return s.row;
  }

  /**
   * Rows as sessions.list orders them: most recently updated first; with `activeMinutes`, only the rows updated
   * within that many minutes before `now` (the real gateway's filter on `updatedAt`).
   */
  sortedRows(activeMinutes?: number, now = Date.now()): Row[] {
    const from = activeMinutes === undefined ? -Infinity : now - activeMinutes * MINUTE;
    return this.sessions
      .filter((s) => (s.row.updatedAt as number) >= from)
      .sort((a, b) => (b.row.updatedAt as number) - (a.row.updatedAt as number))
      .map((s) => s.row);
  }

  hasKey(key: string): boolean {
    return this.byKey.has(key);
  }

  listPage(rows: readonly Row[], offset: number, limit: number, now: number): Row {
    const page = rows.slice(offset, offset + limit).map((r) => ({ ...r, snapshotAt: now }));
    const end = offset + page.length;
    const hasMore = end < rows.length;
    return { ...this.listPayload, ts: now, count: page.length, totalCount: rows.length, limitApplied: limit, nextOffset: hasMore ? end : null, hasMore, sessions: page };
  }

  /**
   * `sessions.usage {key, range:"all"}`: that one session alone, its totals, a fresh cache status (an instant
   * gateway has always just computed it). An unknown key answers no rows, as the real gateway does.
   */
  usageOfKey(key: string, now: number): Row {
    const s = this.byKey.get(key);
    const totals = { input: s?.input ?? 0, output: s?.output ?? 0, cacheRead: 0, cacheWrite: 0, totalTokens: (s?.input ?? 0) + (s?.output ?? 0), totalCost: s?.costUsd ?? 0, missingCostEntries: 0 };
    return {
      ...this.usagePayloadBase,
      updatedAt: now,
      sessions: s ? [s.usage] : [],
      totals,
      cacheStatus: { status: 'fresh', cachedFiles: s ? 1 : 0, pendingFiles: 0, staleFiles: 0, refreshedAt: now },
    };
  }

  usagePayload(now: number): Row {
    const sum = (f: (s: Session) => number) => this.sessions.reduce((t, s) => t + f(s), 0);
    return {
      ...this.usagePayloadBase,
      updatedAt: now,
      sessions: this.sessions.map((s) => s.usage),
      totals: { input: sum((s) => s.input), output: sum((s) => s.output), cacheRead: 0, cacheWrite: 0, totalTokens: sum((s) => s.input + s.output), totalCost: sum((s) => s.costUsd), missingCostEntries: 0 },
      cacheStatus: { status: 'fresh', cachedFiles: this.sessions.length, pendingFiles: 0, staleFiles: 0, refreshedAt: now },
    };
  }
}
