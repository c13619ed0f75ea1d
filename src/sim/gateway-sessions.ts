import { SimRpcError, checkClosedParams, type ParamRules } from './gateway-rpc-error.js';

type Row = Record<string, unknown>;

// Property names copied from fixtures/schema/sessions.list.params.schema.json (the real object is closed).
const listRules: ParamRules = {
  limit: 'integer>=1', offset: 'integer>=0', activeMinutes: 'integer>=1', activeOnly: 'boolean', requireLastInteraction: 'boolean',
  sortBy: ['updatedAt', 'lastInteractionAt', 'activity'], includeGlobal: 'boolean', includeUnknown: 'boolean',
  excludeSubagents: 'boolean', excludeCron: 'boolean', excludeSystem: 'boolean', configuredAgentsOnly: 'boolean',
  includeDerivedTitles: 'boolean', includeLastMessage: 'boolean', includeActivitySummary: 'boolean', label: 'string+',
  projectId: 'string+', workspaceDir: 'string+', group: 'string', pinned: 'boolean', boardFace: ['chat', 'dashboard'],
  hasBoard: 'boolean', creatorId: 'string+', ownerId: 'string+', ownerFirst: 'boolean', involvingMe: 'boolean',
  profileRelation: 'object', involvingProfileId: 'string+', includePeople: 'boolean', spawnedBy: 'string+', agentId: 'string+',
  search: 'string', archived: [true, false, 'all'],
};

// From fixtures/schema/sessions.usage.params.schema.json: note there is no `offset`.
const usageRules: ParamRules = {
  key: 'string+', agentId: 'string+', agentScope: ['all'], creatorKey: 'string+', startDate: 'string', endDate: 'string',
  mode: ['utc', 'gateway', 'specific'], range: ['7d', '30d', '90d', '1y', 'all'], groupBy: ['instance', 'family'],
  includeHistorical: 'boolean', utcOffset: 'string', timeZone: 'string+', limit: 'integer>=1', includeContextWeight: 'boolean',
};

const defaultListLimit = 100;
const defaultUsageLimit = 50;

function timeOf(row: Row, field: string): number {
  const v = row[field] ?? (field === 'lastActivityAt' ? row.updatedAt : undefined);
  return typeof v === 'number' ? v : -Infinity;
}

function matches(row: Row, p: Record<string, unknown>, now: number): boolean {
  if (typeof p.activeMinutes === 'number' && timeOf(row, 'updatedAt') < now - p.activeMinutes * 60_000) return false;
  if (p.activeOnly === true && row.hasActiveRun !== true) return false;
  if (p.excludeSubagents === true && row.classification === 'subagent') return false;
  if (p.excludeCron === true && row.classification === 'cron') return false;
  for (const field of ['agentId', 'label', 'spawnedBy'] as const) {
    if (typeof p[field] === 'string' && row[field] !== p[field]) return false;
  }
  if (typeof p.search === 'string' && p.search !== '') {
    const hay = [row.key, row.displayName, row.label].filter((x) => typeof x === 'string').join(' ').toLowerCase();
    if (!hay.includes(p.search.toLowerCase())) return false;
  }
  return true;
}

/** The real gateway's check of sessions.list params (a closed object): throws SimRpcError INVALID_REQUEST. */
export function checkListParams(rawParams: unknown): Record<string, unknown> {
  return checkClosedParams('sessions.list', rawParams ?? {}, listRules);
}

/** The real gateway's check of sessions.usage params: closed, no `offset`, `agentScope` never with `key`/`agentId`. */
export function checkUsageParams(rawParams: unknown): Record<string, unknown> {
  const p = checkClosedParams('sessions.usage', rawParams ?? {}, usageRules);
  if (p.agentScope === 'all' && (p.key !== undefined || p.agentId !== undefined)) {
    throw new SimRpcError('INVALID_REQUEST', 'agentScope=all cannot be combined with key or agentId');
  }
  return p;
}

/** sessions.list as the real gateway pages it: newest updatedAt first, `limit`/`offset`, `nextOffset` null when done. */
export function answerSessionsList(rawParams: unknown, rows: readonly Row[], now: number): Record<string, unknown> {
  const p = checkListParams(rawParams);
  const sortField = p.sortBy === 'lastInteractionAt' ? 'lastInteractionAt' : p.sortBy === 'activity' ? 'lastActivityAt' : 'updatedAt';
  const matching = rows.filter((r) => matches(r, p, now)).sort((a, b) => timeOf(b, sortField) - timeOf(a, sortField));
  const limit = typeof p.limit === 'number' ? p.limit : defaultListLimit;
  const offset = typeof p.offset === 'number' ? p.offset : 0;
  const page = matching.slice(offset, offset + limit).map((r) => ({ ...r, snapshotAt: now }));
  const end = offset + page.length;
  const hasMore = end < matching.length;
  return {
    ts: now,
    path: '(multiple)',
    count: page.length,
    totalCount: matching.length,
    limitApplied: limit,
    nextOffset: hasMore ? end : null,
    hasMore,
    owners: [],
    defaults: {},
    sessions: page,
  };
}

export function answerSessionsUsage(rawParams: unknown, usage: Record<string, unknown>): Record<string, unknown> {
  const p = checkUsageParams(rawParams);
  const all = Array.isArray(usage.sessions) ? (usage.sessions as Row[]) : [];
  const selected = typeof p.key === 'string' ? all.filter((r) => r.key === p.key) : all;
  const limit = typeof p.limit === 'number' ? p.limit : defaultUsageLimit;
  return { ...usage, sessions: selected.slice(0, limit) };
}

/** usage.cost derived from the same usage payload (daily aggregates and totals). */
export function answerUsageCost(usage: Record<string, unknown>): Record<string, unknown> {
  const aggregates = (usage.aggregates ?? {}) as Record<string, unknown>;
  const daily = Array.isArray(aggregates.daily) ? aggregates.daily : [];
  return { updatedAt: usage.updatedAt, days: daily.length, daily, totals: usage.totals ?? {}, cacheStatus: usage.cacheStatus };
}
