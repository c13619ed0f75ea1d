import type { Validation } from './journal.js';
import { validateRecord, type JournalRecord } from './records.js';
import { isRecord } from '../../shared/is-record.js';

type BookRecord = Extract<JournalRecord, { t: 'book' }>;
type Fields = Record<string, unknown>;

// The rules of the zod schemas in records.ts (which still validate everything that is loaded), written out
// as plain checks: validating a 10k-session booking with zod took 50–120 ms before its first byte could be written;
// these take 1–2 ms. test/sync/store/check-booking.test.ts proves they accept and reject what zod does, field by field.
const isStr = (v: unknown): boolean => typeof v === 'string';
const isNum = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
const strOrNull = (v: unknown): boolean => v === null || typeof v === 'string';
const numOrNull = (v: unknown): boolean => v === null || isNum(v);
const isStatus = (v: unknown): boolean => v === 'running' || v === 'success' || v === 'error' || v === 'timeout';
const isIds = (v: unknown): boolean => Array.isArray(v) && v.every(isStr);
const isCount = (v: unknown): boolean => isNum(v) && Number.isInteger(v) && (v as number) >= 0;
const tokensOk = (t: unknown): boolean => isRecord(t) && isNum(t.input) && isNum(t.output) && isNum(t.cacheRead) && isNum(t.cacheWrite);
const watermarkOk = (w: unknown): boolean => tokensOk(w) && isNum((w as Fields).costMicros);

function deltaOk(d: unknown): boolean {
  return (
    isRecord(d) && isStr(d.id) && isStr(d.traceId) && isStr(d.gatewayId) && isStr(d.sessionKey) && isStr(d.sessionId) &&
    isStr(d.agentId) && isStr(d.classification) && isStr(d.kind) && strOrNull(d.label) && strOrNull(d.channel) &&
    strOrNull(d.model) && strOrNull(d.modelProvider) && isStatus(d.status) && strOrNull(d.openclawStatus) &&
    tokensOk(d.tokens) && isNum(d.costMicros) && (d.unpricedEntries === undefined || isCount(d.unpricedEntries)) && (d.unpricedTotal === undefined || isCount(d.unpricedTotal)) && watermarkOk(d.from) && watermarkOk(d.to) &&
    numOrNull(d.contextUsedPct) && isNum(d.observedAt)
  );
}

function entryOk(e: unknown): boolean {
  return (
    isRecord(e) && isStr(e.sessionId) && isStr(e.sessionKey) && isStr(e.agentId) && isStr(e.classification) &&
    isStr(e.kind) && isStr(e.traceId) && strOrNull(e.label) && strOrNull(e.model) && watermarkOk(e.booked) &&
    (e.bookedUnpriced === undefined || isCount(e.bookedUnpriced)) &&
    (e.status === null || isStatus(e.status)) && isNum(e.trackedAt) && numOrNull(e.lastBookedAt) &&
    numOrNull(e.contextUsedPct) && (e.runIds === undefined || isIds(e.runIds)) &&
    (e.coveredUntil === undefined || numOrNull(e.coveredUntil)) && (e.liveRuns === undefined || isCount(e.liveRuns)) &&
    (e.liveUntil === undefined || numOrNull(e.liveUntil)) && (e.corrections === undefined || isCount(e.corrections))
  );
}

/** Would this booking load again? On a no, zod names the bad field (the slow path only runs for a bug). */
export function checkBooking(record: BookRecord): Validation<BookRecord> {
  const ok =
    isNum(record.at) && isIds(record.drop) && Array.isArray(record.deltas) && Array.isArray(record.entries) &&
    record.deltas.every(deltaOk) && record.entries.every(entryOk);
  if (ok) return { ok: true, value: record };
  const named = validateRecord(record);
  return named.ok ? { ok: false, reason: 'a value the journal cannot hold' } : named;
}
