import { defaultFilterExpression } from '../shared/filter-dsl/default-filter.js';
import { parseFilter, type FilterNode } from '../shared/filter-dsl/parse-filter.js';
import type { FilterRules } from '../shared/settings.js';
import { evaluateFilter, type SessionFacts } from './evaluate-filter.js';
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

// Rounded up, so a session just past the window never reads "idle 30m > 30m".
/** Compiled once per expression: a poll judges every session with the same tree. */
const compiled = new Map<string, FilterNode>();

export function filterExpressionOf(rules: FilterRules): string {
  return rules.expression ?? defaultFilterExpression(rules);
}

function compile(expression: string): FilterNode {
  let tree = compiled.get(expression);
  if (!tree) {
    tree = parseFilter(expression);
    if (compiled.size > 50) compiled.clear();
    compiled.set(expression, tree);
  }
  return tree;
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

/** The filter expression (default: the seed's rules) decides; the reason names the clause that did. */
export function judge(input: JudgeInput, now: number, rules: FilterRules): Verdict {
  return judgeFacts(factsOf(input, now), rules);
}

// Settings are replaced, never changed in place: one lookup per rules object instead of building and hashing the
// expression text for each of 10k rows (docs/bench.md).
const treeByRules = new WeakMap<FilterRules, FilterNode>();

function treeOf(rules: FilterRules): FilterNode {
  let tree = treeByRules.get(rules);
  if (!tree) {
    tree = compile(filterExpressionOf(rules));
    treeByRules.set(rules, tree);
  }
  return tree;
}

export function judgeFacts(facts: SessionFacts, rules: FilterRules): Verdict {
  const result = evaluateFilter(treeOf(rules), facts);
  return { keep: result.keep, reason: result.reason } as Verdict;
}
