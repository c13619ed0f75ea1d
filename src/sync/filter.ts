import { defaultFilterExpression } from '../shared/filter-dsl/default-filter.js';
import { parseFilter, type FilterNode } from '../shared/filter-dsl/parse-filter.js';
import type { FilterRules } from '../shared/settings.js';
import { evaluateFilter, outlookOf, type Outlook, type SessionFacts } from './evaluate-filter.js';
import type { LedgerEntry } from './ledger.js';
import type { SessionRow, UsageRow } from './openclaw/types.js';

export type Verdict = { keep: true; reason: string } | { keep: false; reason: string };

export interface JudgeInput {
  row: SessionRow;
  usage: UsageRow | undefined;
  /** Already in the ledger: stays tracked until fully booked, even when quiet. */
  tracked: boolean;
}

/** The coarse `kind` says "direct" for main, subagent and cron alike; the fine `classification` tells them apart. */
export function classOf(row: SessionRow): string {
  return row.classification ?? (row.kind === 'group' ? 'group' : 'unknown');
}

/** Last real activity; `updatedAt` moves on metadata edits too, so it is only the fallback. */
export function lastActiveAt(row: SessionRow): number | null {
  const times = [row.lastActivityAt, row.lastInteractionAt, row.endedAt, row.startedAt].filter(
    (t): t is number => typeof t === 'number',
  );
  if (times.length > 0) return Math.max(...times);
  return row.updatedAt ?? null;
}

export function lifetimeTokens(usage: UsageRow | undefined): number {
  const u = usage?.usage;
  return u ? u.input + u.output : 0;
}

export function filterExpressionOf(rules: FilterRules): string {
  return rules.expression ?? defaultFilterExpression(rules);
}

export function factsOf(input: JudgeInput, now: number): SessionFacts {
  const { row } = input;
  const active = lastActiveAt(row);
  return {
    classification: classOf(row),
    kind: row.kind ?? 'direct',
    agentId: row.agentId ?? '',
    key: row.key,
    channel: row.channel ?? '',
    label: row.label ?? '',
    model: row.model ?? '',
    status: row.status ?? '',
    tokens: lifetimeTokens(input.usage),
    active: active === null ? Infinity : Math.max(0, now - active),
    running: row.hasActiveRun === true,
    tracked: input.tracked,
  };
}

/**
 * A tracked session that left the list (quiet past the list's window, reset, or the app was down), judged with what
 * the ledger knows: no channel or OpenClaw status, and its last booking standing in for its last activity.
 */
export function factsOfEntry(entry: LedgerEntry, usage: UsageRow | undefined, now: number): SessionFacts {
  return {
    classification: entry.classification,
    kind: entry.kind,
    agentId: entry.agentId,
    key: entry.sessionKey,
    channel: '',
    label: entry.label ?? '',
    model: entry.model ?? '',
    status: '',
    tokens: lifetimeTokens(usage),
    active: Math.max(0, now - (entry.lastBookedAt ?? entry.trackedAt)),
    running: false,
    tracked: true,
  };
}

/** The filter expression (default: the seed's rules) decides; the reason names the clause that did. */
export function judge(input: JudgeInput, now: number, rules: FilterRules): Verdict {
  return judgeFacts(factsOf(input, now), rules);
}

// The one compiled-filter cache. Settings are replaced, never changed in place: one lookup per rules object instead
// of building and parsing the expression text for each of 10k rows (docs/bench.md).
const treeByRules = new WeakMap<FilterRules, FilterNode>();

function treeOf(rules: FilterRules): FilterNode {
  let tree = treeByRules.get(rules);
  if (!tree) {
    tree = parseFilter(filterExpressionOf(rules));
    treeByRules.set(rules, tree);
  }
  return tree;
}

/**
 * Whether the filter will keep a session whose last run ended after `usage` was taken: that answer lacks the run,
 * so its tokens are counted on top (the next answer has them).
 */
export function isKeptAfterRun(row: SessionRow, tracked: boolean, usage: UsageRow | undefined, now: number, rules: FilterRules): boolean {
  const facts = factsOf({ row, usage, tracked }, now);
  return judgeFacts({ ...facts, tokens: facts.tokens + (row.inputTokens ?? 0) + (row.outputTokens ?? 0) }, rules).keep;
}

/** Every keep-or-skip decision of the engine ends here, whatever the facts were gathered from. */
export function judgeFacts(facts: SessionFacts, rules: FilterRules): Verdict {
  const result = evaluateFilter(treeOf(rules), facts);
  return { keep: result.keep, reason: result.reason } as Verdict;
}

/** The filter's verdict before usage is read: `skip` means no usage read can change it (evaluate-filter.ts). */
export function judgeBeforeUsage(input: Omit<JudgeInput, 'usage'>, now: number, rules: FilterRules): Outlook {
  return outlookOf(treeOf(rules), factsOf({ ...input, usage: undefined }, now));
}
