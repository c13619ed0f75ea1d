import type { FilterRules } from '../shared/settings.js';
import { buildBooking, rememberRun, WATERMARK_KEYS } from './booking.js';
import { mapStatus, usdToMicros, ZERO_WATERMARK, type SessionDelta, type TraceStatus, type Watermark } from './delta.js';
import { factsOfEntry, judge, judgeFacts } from './filter.js';
import type { SessionRow, UsageRow } from './openclaw/types.js';
import type { Ledger, LedgerEntry } from './ledger.js';
import { yieldToLoop } from './yield-to-loop.js';
import { lacksLastRun } from './usage-trust.js';

export interface UsageView {
  updatedAt: number;
  fresh: boolean;
  bySessionId: ReadonlyMap<string, UsageRow>;
  /** Per-key reads: when each session's own figure was computed (the answers differ); else `updatedAt` holds. */
  asOf?: ReadonlyMap<string, number>;
}

export interface PlanInput {
  gatewayId: string;
  rows: readonly SessionRow[];
  /** The figures to book from. */
  usage: UsageView;
  /** The figures to judge with, when they hold more than `usage` (an incremental poll reads only what changed). */
  judgeWith?: UsageView;
  ledger: Ledger;
  now: number;
  rules: FilterRules;
}

export interface Decision {
  key: string;
  keep: boolean;
  reason: string;
  /** A tracked session that is not in this poll's list, judged from its ledger entry. */
  unlisted?: true;
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
  /** Live bookings the cumulative figure corrected downwards (rounding, or a run announced with stale numbers). */
  corrections: string[];
}

function watermarkOf(usage: UsageRow): Watermark {
  const u = usage.usage;
  if (!u) return { ...ZERO_WATERMARK };
  return { input: u.input, output: u.output, cacheRead: u.cacheRead, cacheWrite: u.cacheWrite, costMicros: usdToMicros(u.totalCost) };
}

/**
 * The cumulative unpriced count to book up to. Like the other components: after live runs (which guessed their own)
 * the usage figure is the truth, also where lower; otherwise it never goes down.
 */
function unpricedOf(usage: UsageRow, prev: number, settlesLiveRuns: boolean): number {
  const seen = usage.usage?.missingCostEntries ?? 0;
  return settlesLiveRuns ? seen : Math.max(prev, seen);
}

interface Subject {
  key: string;
  sessionId: string;
  row: SessionRow | undefined;
  entry: LedgerEntry | undefined;
  usage: UsageRow;
}

function emptyPlan(): Plan {
  return { deltas: [], entries: [], decisions: [], waiting: [], backwards: [], corrections: [] };
}

/**
 * Pure accounting: what to book now. Deltas are OpenClaw's cumulative `sessions.usage` figures minus what the
 * ledger already booked, component by component, never negative, so AgentWatch's sums equal OpenClaw's.
 */
export function planBookings(input: PlanInput): Plan {
  const plan = emptyPlan();
  for (const s of subjectsOf(input, plan)) bookOne(s, input, plan);
  return plan;
}

/**
 * The same plan, with an event-loop turn every `perTurn` sessions (10k sessions take ~100 ms; docs/bench.md).
 * `onPart` gets the deltas and entries planned in each stretch before the next one starts, so they can be booked
 * (and delivered) while the rest is planned: the ledger entries of the sessions still to plan are not touched.
 */
export async function planBookingsInSlices(
  input: PlanInput,
  perTurn = 1_000,
  onPart?: (deltas: SessionDelta[], entries: LedgerEntry[]) => Promise<void>,
): Promise<Plan> {
  const plan = emptyPlan();
  let handed = { deltas: 0, entries: 0 };
  const handOver = async (): Promise<void> => {
    if (onPart && plan.entries.length > handed.entries) await onPart(plan.deltas.slice(handed.deltas), plan.entries.slice(handed.entries));
    handed = { deltas: plan.deltas.length, entries: plan.entries.length };
  };
  let done = 0;
  for (const s of subjectsOf(input, plan)) {
    bookOne(s, input, plan);
    if (++done % perTurn === 0) {
      await handOver();
      await yieldToLoop();
    }
  }
  await handOver();
  return plan;
}

/** The sessions to book from, judged lazily so a sliced plan also slices the judging. */
function* subjectsOf(input: PlanInput, plan: Plan): Generator<Subject> {
  const seen = new Set<string>();
  for (const row of input.rows) {
    if (seen.has(row.sessionId)) {
      plan.decisions.push({ key: row.key, keep: false, reason: 'duplicate row' });
      continue;
    }
    seen.add(row.sessionId);
    const entry = input.ledger.entry(row.sessionId);
    const usage = input.usage.bySessionId.get(row.sessionId);
    const known = usage ?? input.judgeWith?.bySessionId.get(row.sessionId);
    const verdict = judge({ row, usage: known, tracked: entry !== undefined }, input.now, input.rules);
    plan.decisions.push({ key: row.key, keep: verdict.keep, reason: verdict.reason });
    if (verdict.keep && usage) yield { key: row.key, sessionId: row.sessionId, row, entry, usage };
  }
  // Tracked sessions that left the list (quiet, reset, or the app was down) keep being booked from usage, as long
  // as the filter keeps them.
  for (const entry of input.ledger.entries()) {
    if (seen.has(entry.sessionId)) continue;
    const usage = input.usage.bySessionId.get(entry.sessionId);
    if (!usage) continue;
    const verdict = judgeFacts(factsOfEntry(entry, usage, input.now), input.rules);
    plan.decisions.push({ key: entry.sessionKey, keep: verdict.keep, reason: verdict.reason, unlisted: true });
    if (verdict.keep) yield { key: entry.sessionKey, sessionId: entry.sessionId, row: undefined, entry, usage };
  }
}

function bookOne(s: Subject, input: PlanInput, plan: Plan): void {
  const endedAt = s.row?.endedAt ?? null;
  const figureAt = input.usage.asOf?.get(s.sessionId) ?? input.usage.updatedAt;
  // A figure older than the one last booked from holds nothing new: the usage cache serves an expired answer once
  // more (labelled fresh), and an unlisted session has no run end to compare it with.
  const bookedFrom = s.entry?.coveredUntil ?? null;
  const stale = (endedAt !== null && figureAt < endedAt) || (bookedFrom !== null && figureAt < bookedFrom);
  if (!input.usage.fresh || stale || lacksLastRun(s.usage, s.row, input.now)) {
    plan.waiting.push(s.key);
    return;
  }
  const prev = s.entry?.booked ?? ZERO_WATERMARK;
  const prevUnpriced = s.entry?.bookedUnpriced ?? 0;
  const seenNow = watermarkOf(s.usage);
  const liveRuns = s.entry?.liveRuns ?? 0;
  let next: Watermark = { ...prev };
  const down: string[] = [];
  if (liveRuns > 0) {
    // Live runs were booked from their own figures. Only a usage figure taken after the last of them settles them;
    // then it is the truth, also where it is lower: a run's USD rounded on its own, or a run announced with another
    // run's numbers. Before that, wait.
    if (figureAt < (s.entry?.liveUntil ?? s.entry?.lastBookedAt ?? 0)) {
      plan.waiting.push(s.key);
      return;
    }
    Object.assign(next, seenNow);
    const lower = WATERMARK_KEYS.filter((c) => seenNow[c] < prev[c]).map((c) => `${c} ${prev[c]} → ${seenNow[c]}`);
    if (lower.length > 0) plan.corrections.push(`${s.key}: ${lower.join(', ')}`);
  } else if (
    seenNow.input < prev.input || seenNow.output < prev.output || seenNow.cacheRead < prev.cacheRead ||
    seenNow.cacheWrite < prev.cacheWrite || seenNow.costMicros < prev.costMicros
  ) {
    for (const c of WATERMARK_KEYS) {
      if (seenNow[c] < prev[c]) down.push(`${c} ${seenNow[c]} < booked ${prev[c]}`);
      next[c] = Math.max(prev[c], seenNow[c]);
    }
  } else {
    next = seenNow; // the common case: nothing went down, the usage figure is the new watermark
  }
  if (down.length > 0) plan.backwards.push(`${s.key}: ${down.join(', ')}`);

  const status: TraceStatus = s.row ? mapStatus(s.row.status) : (s.entry?.status ?? 'running');
  const moved =
    next.input !== prev.input || next.output !== prev.output || next.cacheRead !== prev.cacheRead ||
    next.cacheWrite !== prev.cacheWrite || next.costMicros !== prev.costMicros;
  const lastRunId = s.row?.lastRunId ?? null;
  const bookkeeping = liveRuns > 0 || (lastRunId !== null && !(s.entry?.runIds ?? []).includes(lastRunId));
  const nextUnpriced = unpricedOf(s.usage, prevUnpriced, liveRuns > 0);
  // Entries OpenClaw could not price can show up after their tokens were booked (live runs guess theirs): a delta of
  // its own tells AgentWatch, so a quiet session does not keep them back.
  const pushed = moved || s.entry?.status !== status || nextUnpriced > prevUnpriced;
  if (!pushed && s.entry && !bookkeeping) return;

  const booking = buildBooking({
    gatewayId: input.gatewayId,
    key: s.key,
    sessionId: s.sessionId,
    row: s.row,
    entry: s.entry,
    usageFacts: { agentId: s.usage.agentId, model: s.usage.model, modelProvider: s.usage.modelProvider },
    prev,
    next,
    unpriced: { prev: prevUnpriced, next: nextUnpriced },
    status,
    now: input.now,
    live: { runIds: rememberRun(s.entry?.runIds, lastRunId), coveredUntil: figureAt, liveRuns: 0, liveUntil: null },
  });
  if (pushed) plan.deltas.push(booking.delta);
  plan.entries.push(booking.entry);
}
