import { checkFilter } from '../shared/filter-dsl/parse-filter.js';
import type { FilterRules } from '../shared/settings.js';
import type { FilterPreview } from '../shared/sync-status.js';
import { judge } from './filter.js';
import type { SessionRow } from './openclaw/types.js';
import type { UsageView } from './plan-bookings.js';
import type { Ledger } from './ledger.js';

/** How an expression would judge the sessions of the last poll; a syntax error comes back with its column. */
export function previewFilter(
  expression: string,
  lastSeen: { rows: readonly SessionRow[]; usage: UsageView } | null,
  rules: FilterRules,
  ledger: Ledger,
  now: number,
): FilterPreview {
  const problem = checkFilter(expression);
  if (problem) return { ok: false, error: problem.message, column: problem.column };
  if (!lastSeen) return { ok: true, decisions: [] };
  const withExpression = { ...rules, expression };
  return {
    ok: true,
    decisions: lastSeen.rows.map((row) => {
      const v = judge({ row, usage: lastSeen.usage.bySessionId.get(row.sessionId), tracked: ledger.entry(row.sessionId) !== undefined }, now, withExpression);
      return { key: row.key, keep: v.keep, reason: v.reason };
    }),
  };
}
