import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseLenient } from '../../src/main/settings-repo.js';
import { DEFAULT_SETTINGS, Settings } from '../../src/shared/settings.js';

// A hand-edited or half-written settings file must load as valid settings with each bad field reported, never throw.
test('parseLenient turns any settings-file content into valid settings', () => {
  const keys = Object.keys(DEFAULT_SETTINGS);
  const edited = fc
    .dictionary(fc.constantFrom(...keys, 'unknownKey'), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 })
    .map((patch) => ({ ...structuredClone(DEFAULT_SETTINGS), ...patch }));
  fc.assert(
    fc.property(fc.oneof(edited, fc.jsonValue({ maxDepth: 3 })), (raw) => {
      const { value, invalid } = parseLenient(Settings, raw, DEFAULT_SETTINGS);
      assert.ok(Settings.safeParse(value).success, 'what it returns is valid settings');
      for (const line of invalid) assert.ok(line.length > 0 && !line.includes('\n'));
    }),
    { numRuns: 500 },
  );
});
