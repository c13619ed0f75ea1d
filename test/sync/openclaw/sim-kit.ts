import assert from 'node:assert/strict';
import { startSimGateway, type SimGateway, type SimGatewayOptions } from '../../../src/sim/gateway-server.js';
import { SyncError } from '../../../src/sync/errors.js';
import type { GatewayClientDeps } from '../../../src/sync/openclaw/gateway-client.js';
import { realSleep, systemClock, type Logger } from '../../../src/sync/ports.js';
import { assertValidFrame, readFixture, validators } from '../../support/gateway-schemas.js';

export const simToken = 'sim-token-7f3a9c2e51d04b8a';

type Row = Record<string, unknown>;

export function fixtureRows(): Row[] {
  return readFixture<{ payload: { sessions: Row[] } }>('sessions.list.snap2.json').payload.sessions;
}

export function fixtureUsage(): Row {
  return readFixture<{ payload: Row }>('sessions.usage.snap2.json').payload;
}

/** `n` distinct rows cloned from the first fixture row. */
export function manyRows(n: number, updatedAt = 1795541428120): Row[] {
  const [base] = fixtureRows();
  return Array.from({ length: n }, (_, i) => ({ ...base, key: `agent:main:bulk:${i}`, sessionId: `bulk-session-${i}`, updatedAt: updatedAt - i }));
}

/** `n` sessions.usage rows (~2.6 kB each) cycled from the fixture rows, with distinct keys and session ids. */
export function manyUsageRows(n: number): Row[] {
  const base = fixtureUsage().sessions as Row[];
  return Array.from({ length: n }, (_, i) => {
    const row = structuredClone(base[i % base.length] as Row);
    const usage = { ...(row.usage as Row), sessionId: `bulk-session-${i}` };
    return { ...row, key: `agent:main:bulk:${i}`, sessionId: `bulk-session-${i}`, label: `bulk ${i} ✓`, usage };
  });
}

export interface ValidatedSim extends SimGateway {
  /** Every frame the sim sent and every connect the client sent matched the gateway schemas. */
  assertFramesValid(): void;
  framesSent: unknown[];
}

/** A simulator whose every sent frame and every received connect is checked against the captured schemas. */
export async function startValidatedSim(overrides: Partial<SimGatewayOptions> = {}): Promise<ValidatedSim> {
  const framesSent: unknown[] = [];
  const violations: string[] = [];
  const sim = await startSimGateway({
    token: simToken,
    sessions: fixtureRows,
    usage: fixtureUsage,
    ...overrides,
    onFrameSent: (frame) => {
      framesSent.push(frame);
      try {
        assertValidFrame(frame);
      } catch (error) {
        violations.push((error as Error).message);
      }
    },
  });
  return Object.assign(sim, {
    framesSent,
    assertFramesValid() {
      assert.deepEqual(violations, [], 'frames sent by the simulator must match the gateway schemas');
      assert.ok(framesSent.length > 0, 'the simulator sent frames');
      for (const params of sim.connectRequests) {
        assert.ok(validators.connectParams(params), `connect params match the schema: ${JSON.stringify(validators.connectParams.errors)}`);
      }
    },
  });
}

export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const at = (level: string) => (message: string) => void lines.push(`${level} ${message}`);
  return { lines, debug: at('DEBUG'), info: at('INFO'), warn: at('WARN'), error: at('ERROR') };
}

export function clientDeps(extra: Partial<GatewayClientDeps> = {}): GatewayClientDeps & { log: ReturnType<typeof recordingLogger> } {
  return { log: recordingLogger(), clock: systemClock, sleep: realSleep, ...extra } as GatewayClientDeps & {
    log: ReturnType<typeof recordingLogger>;
  };
}

/** A method handler that never answers, and `reached`: settles with the params when the sim receives the request. */
export function heldMethod(): { handler: (params: Record<string, unknown>) => Promise<never>; reached: Promise<Record<string, unknown>> } {
  let arrive: (params: Record<string, unknown>) => void = () => undefined;
  const reached = new Promise<Record<string, unknown>>((resolve) => (arrive = resolve));
  return {
    reached,
    handler: (params) => {
      arrive(params);
      return new Promise<never>(() => undefined);
    },
  };
}

/** `pending`, or a failure naming `what` once `timeoutMs` has passed (a deadline, so a lost event fails, not hangs). */
export async function within<T>(pending: Promise<T>, what: string, timeoutMs = 3_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
  });
  try {
    return await Promise.race([pending, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** The SyncError `promise` rejects with (fails the test if it resolves or rejects with anything else). */
export async function rejection(promise: Promise<unknown>): Promise<SyncError> {
  const error = await promise.then(
    () => assert.fail('expected a rejection'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof SyncError, `expected a SyncError, got ${String(error)}`);
  return error;
}
