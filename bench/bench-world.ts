import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

type Row = Record<string, unknown>;

interface Session {
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

/** A gateway with `n` sessions whose rows copy the bulky fields of the captured sessions.list / sessions.usage rows. */
export class BenchWorld {
  private readonly sessions: Session[] = [];
  private readonly listPayload: Row;
  private readonly usagePayloadBase: Row;
  private round = 0;

  constructor(root: string, n: number, now: number) {
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
      this.sessions.push({ row, usage: u, input: 0, output: 0, costUsd: 0 });
    }
    this.finishAll(now);
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

  /** Rows as sessions.list orders them: most recently updated first. */
  sortedRows(): Row[] {
    return [...this.sessions].sort((a, b) => (b.row.updatedAt as number) - (a.row.updatedAt as number)).map((s) => s.row);
  }

  listPage(rows: readonly Row[], offset: number, limit: number, now: number): Row {
    const page = rows.slice(offset, offset + limit).map((r) => ({ ...r, snapshotAt: now }));
    const end = offset + page.length;
    const hasMore = end < rows.length;
    return { ...this.listPayload, ts: now, count: page.length, totalCount: rows.length, limitApplied: limit, nextOffset: hasMore ? end : null, hasMore, sessions: page };
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
