import type { FilterRules } from '../shared/settings.js';
import {
  mapStatus,
  usdToMicros,
  ZERO_WATERMARK,
  type SessionDelta,
  type TraceStatus,
  type Watermark,
} from './delta.js';
import { classOf, judge } from './filter.js';
import { deltaIdOf, traceIdOf } from './ids.js';
import type { SessionRow, UsageRow } from './openclaw/types.js';
import type { LedgerEntry } from './store/state-records.js';

export interface UsageView {
  updatedAt: number;
  fresh: boolean;
  bySessionId: ReadonlyMap<string, UsageRow>;
}

export interface LedgerView {
  entry(sessionId: string): LedgerEntry | undefined;
  entries(): Iterable<LedgerEntry>;
}

export interface PlanInput {
  gatewayId: string;
  rows: readonly SessionRow[];
  usage: UsageView;
  ledger: LedgerView;
  now: number;
  rules: FilterRules;
}

export interface Decision {
  key: string;
  keep: boolean;
  reason: string;
}

export interface Plan {
  deltas: SessionDelta[];
  /** Ledger entries to write together with the deltas (new or moved watermarks, new status). */
  entries: LedgerEntry[];
  decisions: Decision[];
  /** Sessions whose usage figure is older than their last run: booked on a later poll. */
  waiting: string[];
  /** Cumulative figures that went down: logged, nothing negative booked. */
  backwards: string[];
}

const COMPONENTS = ['input', 'output', 'cacheRead', 'cacheWrite', 'costMicros'] as const;

function watermarkOf(usage: UsageRow): Watermark {
  const u = usage.usage;
  if (!u) return ZERO_WATERMARK;
  return { input: u.input, output: u.output, cacheRead: u.cacheRead, cacheWrite: u.cacheWrite, costMicros: usdToMicros(u.totalCost) };
}

function contextPct(row: SessionRow | undefined): number | null {
  if (!row?.totalTokensFresh || !row.contextTokens || row.totalTokens == null) return null;
  return Math.round((row.totalTokens / row.contextTokens) * 100);
}

interface Subject {
  key: string;
  sessionId: string;
  row: SessionRow | undefined;
  entry: LedgerEntry | undefined;
  usage: UsageRow;
}

/**
 * Pure accounting: what to book now. Deltas are OpenClaw's cumulative `sessions.usage` figures minus what the
 * ledger already booked, component by component, never negative, so AgentWatch's sums equal OpenClaw's.
 */
export function planBookings(input: PlanInput): Plan {
  const plan: Plan = { deltas: [], entries: [], decisions: [], waiting: [], backwards: [] };
  const seen = new Set<string>();
  const subjects: Subject[] = [];

  for (const row of input.rows) {
    if (seen.has(row.sessionId)) {
      plan.decisions.push({ key: row.key, keep: false, reason: 'duplicate row' });
      continue;
    }
    seen.add(row.sessionId);
    const entry = input.ledger.entry(row.sessionId);
    const usage = input.usage.bySessionId.get(row.sessionId);
    const verdict = judge({ row, usage, tracked: entry !== undefined }, input.now, input.rules);
    plan.decisions.push({ key: row.key, keep: verdict.keep, reason: verdict.reason });
    if (verdict.keep && usage) subjects.push({ key: row.key, sessionId: row.sessionId, row, entry, usage });
  }
  // Tracked sessions that left the list (quiet, reset, or the app was down) keep being booked from usage.
  for (const entry of input.ledger.entries()) {
    if (seen.has(entry.sessionId) || !input.rules.classes.includes(entry.classification)) continue;
    const usage = input.usage.bySessionId.get(entry.sessionId);
    if (usage) subjects.push({ key: entry.sessionKey, sessionId: entry.sessionId, row: undefined, entry, usage });
  }

  for (const s of subjects) bookOne(s, input, plan);
  return plan;
}

function bookOne(s: Subject, input: PlanInput, plan: Plan): void {
  const endedAt = s.row?.endedAt ?? null;
  if (!input.usage.fresh || (endedAt !== null && input.usage.updatedAt < endedAt)) {
    plan.waiting.push(s.key);
    return;
  }
  const prev = s.entry?.booked ?? ZERO_WATERMARK;
  const seenNow = watermarkOf(s.usage);
  const next = { ...prev };
  const delta = { ...ZERO_WATERMARK };
  const down: string[] = [];
  for (const c of COMPONENTS) {
    if (seenNow[c] < prev[c]) down.push(`${c} ${seenNow[c]} < booked ${prev[c]}`);
    delta[c] = Math.max(0, seenNow[c] - prev[c]);
    next[c] = prev[c] + delta[c];
  }
  if (down.length > 0) plan.backwards.push(`${s.key}: ${down.join(', ')}`);

  const row = s.row;
  const status: TraceStatus = row ? mapStatus(row.status) : (s.entry?.status ?? 'running');
  const moved = COMPONENTS.some((c) => delta[c] > 0);
  if (!moved && s.entry && s.entry.status === status) return;

  const agentId = row?.agentId ?? s.entry?.agentId ?? s.usage.agentId ?? 'unknown';
  const classification = row ? classOf(row) : (s.entry?.classification ?? 'unknown');
  const traceId = s.entry?.traceId ?? traceIdOf(input.gatewayId, s.key, s.sessionId);
  const model = row?.model ?? s.usage.model ?? s.entry?.model ?? null;
  const label = row?.label ?? s.entry?.label ?? null;
  const contextUsedPct = contextPct(row) ?? s.entry?.contextUsedPct ?? null;

  plan.deltas.push({
    id: deltaIdOf(input.gatewayId, s.sessionId, prev, next, status),
    traceId,
    gatewayId: input.gatewayId,
    sessionKey: s.key,
    sessionId: s.sessionId,
    agentId,
    classification,
    kind: row?.kind ?? s.entry?.kind ?? 'direct',
    label,
    channel: row?.channel ?? null,
    model,
    modelProvider: row?.modelProvider ?? s.usage.modelProvider ?? null,
    status,
    openclawStatus: row?.status ?? null,
    tokens: { input: delta.input, output: delta.output, cacheRead: delta.cacheRead, cacheWrite: delta.cacheWrite },
    costMicros: delta.costMicros,
    from: prev,
    to: next,
    contextUsedPct,
    observedAt: input.now,
  });
  plan.entries.push({
    sessionId: s.sessionId,
    sessionKey: s.key,
    agentId,
    classification,
    kind: row?.kind ?? s.entry?.kind ?? 'direct',
    traceId,
    label,
    model,
    booked: next,
    status,
    trackedAt: s.entry?.trackedAt ?? input.now,
    lastBookedAt: input.now,
    contextUsedPct,
  });
}
