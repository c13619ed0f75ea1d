import { readFileSync } from 'node:fs';
import { mapStatus, usdToMicros, type SessionDelta } from '../../../src/sync/delta.js';

interface UsageSession {
  key: string;
  label?: string;
  sessionId: string;
  agentId: string;
  model: string;
  modelProvider: string;
  usage: { input: number; output: number; cacheRead: number; cacheWrite: number; totalCost: number };
}

const usage = JSON.parse(readFileSync(new URL('../../fixtures/openclaw/sessions.usage.snap1.json', import.meta.url), 'utf8')) as {
  payload: { updatedAt: number; sessions: UsageSession[] };
};

export const USAGE_OBSERVED_AT = usage.payload.updatedAt;

export function usageSession(key: string): UsageSession {
  const s = usage.payload.sessions.find((x) => x.key === key);
  if (!s) throw new Error(`no usage row ${key} in the fixture`);
  return s;
}

/** A first delta (from zero) for one fixture session, with overrides for the parts a test varies. */
export function deltaFromFixture(key: string, overrides: Partial<SessionDelta> = {}): SessionDelta {
  const s = usageSession(key);
  const u = s.usage;
  const costMicros = usdToMicros(u.totalCost);
  const tokens = { input: u.input, output: u.output, cacheRead: u.cacheRead, cacheWrite: u.cacheWrite };
  return {
    id: `d:${s.sessionId}:0-${u.input + u.output}`,
    traceId: `t:${s.sessionId}`,
    gatewayId: 'gw-test',
    sessionKey: s.key,
    sessionId: s.sessionId,
    agentId: s.agentId,
    classification: s.key.includes(':subagent:') ? 'subagent' : s.key.includes(':group:') || s.key.includes(':channel:') ? 'group' : 'main',
    kind: 'direct',
    label: s.label ?? null,
    channel: null,
    model: s.model,
    modelProvider: s.modelProvider,
    status: mapStatus('running'),
    openclawStatus: 'running',
    tokens,
    costMicros,
    unpricedEntries: 0,
    from: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, costMicros: 0 },
    to: { ...tokens, costMicros },
    contextUsedPct: null,
    observedAt: USAGE_OBSERVED_AT,
    ...overrides,
  };
}

/** A follow-up delta for the same session: `input`/`output`/`costMicros` more than `prev`. */
export function nextDelta(prev: SessionDelta, add: { input: number; output: number; costMicros: number }, overrides: Partial<SessionDelta> = {}): SessionDelta {
  const to = { ...prev.to, input: prev.to.input + add.input, output: prev.to.output + add.output, costMicros: prev.to.costMicros + add.costMicros };
  return {
    ...prev,
    id: `d:${prev.sessionId}:${prev.to.input + prev.to.output}-${to.input + to.output}`,
    tokens: { input: add.input, output: add.output, cacheRead: 0, cacheWrite: 0 },
    costMicros: add.costMicros,
    from: prev.to,
    to,
    ...overrides,
  };
}
