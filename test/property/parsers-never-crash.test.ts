import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseFilter } from '../../src/shared/filter-dsl/parse-filter.js';
import { FilterSyntaxError } from '../../src/shared/filter-dsl/tokens.js';
import { parseFrame } from '../../src/sync/openclaw/gateway-frames.js';
import { fixturesDir } from '../support/gateway-schemas.js';

// Property-based: a user's typo in the filter box or a garbled gateway frame must become one readable problem,
// never an uncaught TypeError that takes the engine down.

const FILTER_WORDS = ['and', 'or', 'not', 'in', '(', ')', ',', '=', '!=', '<', '<=', '>', '>=', '"', "'", 'classification', 'tokens', 'active', 'running', 'tracked', 'cron', '5m', '3d', '10', '-1', '1e9', ' '];

test('parseFilter either parses or throws FilterSyntaxError with a message, for any input', () => {
  const fromWords = fc.array(fc.constantFrom(...FILTER_WORDS), { maxLength: 12 }).map((ws) => ws.join(' '));
  fc.assert(
    fc.property(fc.oneof(fromWords, fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 })), (source) => {
      try {
        const node = parseFilter(source);
        assert.equal(typeof node.type, 'string');
      } catch (err) {
        assert.ok(err instanceof FilterSyntaxError, `non-syntax error for ${JSON.stringify(source)}: ${String(err)}`);
        assert.ok(err.message.length > 0 && !err.message.includes('\n'));
      }
    }),
    { numRuns: 2000 },
  );
});

const frameFixtures = readdirSync(fixturesDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => readFileSync(join(fixturesDir, f), 'utf8'));

test('parseFrame never throws on captured fixtures with bytes cut, flipped or inserted', () => {
  assert.ok(frameFixtures.length > 3, 'captured fixtures are present');
  fc.assert(
    fc.property(fc.constantFrom(...frameFixtures), fc.nat(), fc.nat(), fc.string({ maxLength: 8 }), (text, a, b, junk) => {
      const i = a % (text.length + 1);
      const j = i + (b % 16);
      const mutated = text.slice(0, i) + junk + text.slice(j);
      const parsed = parseFrame(mutated);
      assert.ok('frame' in parsed || (typeof parsed.problem === 'string' && parsed.problem.length > 0));
    }),
    { numRuns: 1500 },
  );
});

test('parseFrame never throws on arbitrary JSON values', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (v) => {
      const parsed = parseFrame(JSON.stringify(v));
      assert.ok('frame' in parsed || typeof parsed.problem === 'string');
    }),
    { numRuns: 1500 },
  );
});
