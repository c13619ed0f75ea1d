import type { z } from 'zod';
import { SessionRow, UsageFigures, UsageRow } from './types.js';
import { isRecord } from '../../shared/is-record.js';

type Fields = Record<string, unknown>;
type Kind = 'key' | 'str' | 'num' | 'bool' | 'any';
export type RowRead<T> = { ok: true; row: T } | { ok: false; error: z.ZodError };

// Gateway rows carry ~60 fields (participants, thinking levels, daily breakdowns…) the sync never reads. Only the
// named ones are copied, and checked by the plain rules below; zod (types.ts) runs only for a row these refuse, to
// name the problem — or to accept it, zod having the last word. zod on every row took 60–100 ms per 10k sessions
// (docs/bench.md); test/sync/openclaw/row-checks.test.ts holds the two to the same verdicts.
const SESSION_FIELDS: Record<string, Kind> = {
  key: 'key', sessionId: 'key', kind: 'str', classification: 'str', agentId: 'str', isBackground: 'bool', status: 'str',
  label: 'str', displayName: 'str', channel: 'str', model: 'str', modelProvider: 'str', contextTokens: 'num',
  totalTokens: 'num', totalTokensFresh: 'bool', inputTokens: 'num', outputTokens: 'num', estimatedCostUsd: 'num',
  updatedAt: 'num', lastActivityAt: 'num', lastInteractionAt: 'num', startedAt: 'num', endedAt: 'num',
  hasActiveRun: 'bool', lastRunId: 'str', snapshotAt: 'any',
};
const USAGE_FIELDS: Record<string, Kind> = {
  key: 'key', sessionId: 'str', agentId: 'str', label: 'str', model: 'str', modelProvider: 'str', updatedAt: 'num', usage: 'any',
};
const FIGURE_FIELDS: Record<string, Kind> = { firstActivity: 'num', lastActivity: 'num', sessionId: 'any' };
const COUNTERS = ['input', 'output', 'cacheRead', 'cacheWrite', 'totalTokens', 'totalCost', 'missingCostEntries'] as const;

export const SESSION_ROW_KEYS = Object.keys(SESSION_FIELDS);
export const USAGE_ROW_KEYS = Object.keys(USAGE_FIELDS);

function fits(kind: Kind, v: unknown): boolean {
  if (kind === 'key') return typeof v === 'string' && v.length > 0;
  if (kind === 'any' || v === undefined || v === null) return true;
  if (kind === 'str') return typeof v === 'string';
  if (kind === 'num') return typeof v === 'number' && Number.isFinite(v);
  return typeof v === 'boolean';
}

/** The named fields of `raw` that are present, or null when one breaks its rule. */
function pickChecked(raw: Fields, fields: Record<string, Kind>): Fields | null {
  const out: Fields = {};
  for (const k in fields) {
    const v = raw[k];
    if (!fits(fields[k] as Kind, v)) return null;
    if (v !== undefined) out[k] = v;
  }
  return out;
}

function pickAll(raw: unknown, keys: readonly string[]): unknown {
  if (!isRecord(raw)) return raw;
  const out: Fields = {};
  for (const k of keys) if (raw[k] !== undefined) out[k] = raw[k];
  return out;
}

export function readSessionRow(raw: unknown): RowRead<SessionRow> {
  const fast = isRecord(raw) ? pickChecked(raw, SESSION_FIELDS) : null;
  if (fast) return { ok: true, row: fast as SessionRow };
  const parsed = SessionRow.safeParse(pickAll(raw, SESSION_ROW_KEYS));
  return parsed.success ? { ok: true, row: parsed.data } : { ok: false, error: parsed.error };
}

/** The usage figures cut and checked (missing counters are 0, as zod's default), or false when one is broken. */
function readFigures(raw: unknown): Fields | null | undefined | false {
  if (raw === undefined || raw === null) return raw;
  if (!isRecord(raw)) return false;
  const out = pickChecked(raw, FIGURE_FIELDS);
  if (!out) return false;
  for (const k of COUNTERS) {
    const v = raw[k];
    if (v === undefined) out[k] = 0;
    else if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
    else return false;
  }
  return out;
}

/** A usage row cut to the fields the ledger uses: what `readUsageFrame` keeps of each row as it is parsed. */
export function cutUsageRow(raw: unknown): unknown {
  const row = pickAll(raw, USAGE_ROW_KEYS);
  if (isRecord(row) && isRecord(row.usage)) row.usage = pickAll(row.usage, [...COUNTERS, ...Object.keys(FIGURE_FIELDS)]);
  return row;
}

export function readUsageRow(raw: unknown): RowRead<UsageRow> {
  if (isRecord(raw)) {
    const row = pickChecked(raw, USAGE_FIELDS);
    const usage = row ? readFigures(raw.usage) : false;
    if (row && usage !== false) {
      if (usage !== undefined) row.usage = usage;
      return { ok: true, row: row as UsageRow };
    }
  }
  const parsed = UsageRow.safeParse(cutUsageRow(raw));
  return parsed.success ? { ok: true, row: parsed.data } : { ok: false, error: parsed.error };
}

// For the agreement test: zod's shape keys, so a field added to types.ts without a rule here is noticed.
export const ZOD_KEYS = {
  session: Object.keys(SessionRow.shape),
  usage: Object.keys(UsageRow.shape),
  figures: Object.keys(UsageFigures.shape),
};
