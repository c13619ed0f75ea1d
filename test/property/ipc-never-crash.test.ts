import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { handle, type IpcMainLike } from '../../src/main/ipc.js';
import { createSettingsRepo } from '../../src/main/settings-repo.js';
import type { JsonStore } from '../../src/main/json-store.js';
import { invoke, type InvokeChannel } from '../../src/shared/ipc-contract.js';
import { DEFAULT_SETTINGS, Settings } from '../../src/shared/settings.js';
import type { Logger } from '../../src/sync/ports.js';

// Whatever a (compromised or buggy) renderer sends over IPC, main's one gate answers with the contract's envelope:
// a one-line error naming the field, or the handler runs with a request the schema accepted. Same for the two
// places settings enter main unchecked by the gate: the save's `settings` value and the settings file itself.

const warnings: string[] = [];
const log: Logger = { debug: () => {}, info: () => {}, warn: (m: string) => void warnings.push(m), error: (m: string) => void warnings.push(m) } as unknown as Logger;

const channels = Object.keys(invoke) as InvokeChannel[];
const listeners = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
const ipc: IpcMainLike = { handle: (channel, listener) => void listeners.set(channel, listener as never) };
for (const channel of channels) {
  handle(ipc, () => true, channel, ((req: unknown) => {
    assert.ok(invoke[channel].req.safeParse(req).success, `${channel} handler got a request its schema rejects`);
    return 'handled' as never;
  }) as never, log);
}

// Requests shaped like the real ones with fields replaced, and anything at all.
const nearMiss = fc.record({
  openclawUrl: fc.oneof(fc.string(), fc.jsonValue()),
  agentwatchUrl: fc.oneof(fc.string({ maxLength: 3000 }), fc.jsonValue()),
  token: fc.oneof(fc.string(), fc.constant(undefined), fc.integer()),
  target: fc.oneof(fc.constantFrom('slack', 'pagerduty', 'email'), fc.jsonValue()),
  hours: fc.oneof(fc.integer({ min: -5, max: 500 }), fc.double(), fc.string()),
  expression: fc.oneof(fc.string(), fc.string({ minLength: 1990, maxLength: 2010 }), fc.jsonValue()),
  settings: fc.jsonValue({ maxDepth: 2 }),
  notifications: fc.jsonValue({ maxDepth: 2 }),
}, { requiredKeys: [] });
const anyArgs = fc.array(fc.oneof(nearMiss, fc.jsonValue({ maxDepth: 3 }), fc.constant(undefined)), { maxLength: 2 });

test('every IPC channel answers any payload with its envelope: a one-line error or a schema-checked request', async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...channels), anyArgs, async (channel, args) => {
      const answer = (await listeners.get(channel)!({ sender: { id: 1 }, senderFrame: { url: 'app://index.html' } }, ...args)) as { ok: boolean; value?: unknown; error?: string };
      if (answer.ok) assert.equal(answer.value, 'handled');
      else assert.ok(typeof answer.error === 'string' && answer.error.length > 0 && !answer.error.includes('\n'), `${channel}: ${JSON.stringify(answer)}`);
    }),
    { numRuns: 2000 },
  );
  assert.deepEqual(warnings.filter((w) => w.includes('failed')), [], 'no handler threw');
});

function memoryStore(data: Record<string, unknown>): JsonStore {
  let all = structuredClone(data);
  return {
    get: (k) => all[k],
    set: (k, v) => void (all[k] = v),
    delete: (k) => void delete all[k],
    has: (k) => k in all,
    all: () => all,
    replaceAll: (d) => void (all = d),
    path: '/memory/settings.json',
  };
}

const settingsLike = fc
  .dictionary(fc.constantFrom(...Object.keys(DEFAULT_SETTINGS), 'filter', 'pollIntervalSec', 'unknownKey'), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 })
  .map((patch) => ({ ...structuredClone(DEFAULT_SETTINGS), ...patch }));

test('a saved settings value of any shape is valid settings or field errors, one line each', () => {
  const repo = createSettingsRepo(memoryStore({}), log);
  fc.assert(
    fc.property(fc.oneof(settingsLike, fc.jsonValue({ maxDepth: 3 })), (input) => {
      const r = repo.validate(input);
      if (r.ok) assert.ok(Settings.safeParse(r.settings).success);
      else for (const [field, message] of Object.entries(r.errors)) assert.ok(message.length > 0 && !message.includes('\n'), `${field}: ${message}`);
    }),
    { numRuns: 800 },
  );
});

test('a settings file of any content and schema version loads as valid settings, migrations included', () => {
  const version = fc.oneof(fc.integer({ min: -1, max: 12 }), fc.jsonValue({ maxDepth: 1 }), fc.constant(undefined));
  fc.assert(
    fc.property(version, fc.oneof(settingsLike, fc.jsonValue({ maxDepth: 3 })), fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }), (schemaVersion, settings, rest) => {
      const repo = createSettingsRepo(memoryStore({ ...rest, ...(schemaVersion === undefined ? {} : { schemaVersion }), settings }), log);
      assert.ok(Settings.safeParse(repo.load()).success);
    }),
    { numRuns: 800 },
  );
});
