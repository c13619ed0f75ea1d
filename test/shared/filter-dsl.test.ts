import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkFilter, parseFilter } from '../../src/shared/filter-dsl/parse-filter.js';
import { defaultFilterExpression } from '../../src/shared/filter-dsl/default-filter.js';
import { FilterRules, Settings } from '../../src/shared/settings.js';
import { evaluateFilter, type SessionFacts } from '../../src/sync/evaluate-filter.js';

const facts = (over: Partial<SessionFacts> = {}): SessionFacts => ({
  classification: 'main', kind: 'direct', agentId: 'main', key: 'agent:main:main', channel: '', label: '', model: 'fake-model-1',
  status: 'done', tokens: 500, active: 5 * 60_000, running: false, tracked: false, ...over,
});

test("the issue's example parses and decides with the deciding clause as reason", () => {
  const tree = parseFilter('classification in (main, subagent, group) and not agentId = "ops" and tokens >= 10 and active < 30m');
  assert.deepEqual(evaluateFilter(tree, facts()), { keep: true, reason: 'active < 30m: active=5m' });
  assert.deepEqual(evaluateFilter(tree, facts({ agentId: 'ops' })), { keep: false, reason: 'not agentId = "ops" (agentId = "ops": agentId=ops)' });
  assert.deepEqual(evaluateFilter(tree, facts({ classification: 'cron' })), { keep: false, reason: 'classification=cron' });
  assert.deepEqual(evaluateFilter(tree, facts({ tokens: 3 })), { keep: false, reason: 'tokens >= 10: tokens=3' });
});

test('precedence: not > and > or, parentheses group', () => {
  const t = parseFilter('tracked or running and tokens > 100');
  assert.equal(evaluateFilter(t, facts({ tracked: true, tokens: 1 })).keep, true);
  assert.equal(evaluateFilter(t, facts({ running: true, tokens: 1 })).keep, false);
  const g = parseFilter('(tracked or running) and tokens > 100');
  assert.equal(evaluateFilter(g, facts({ tracked: true, tokens: 1 })).keep, false);
});

test('syntax errors point at the column', () => {
  const cases: Array<[string, number, RegExp]> = [
    ['classification in (main, sub', 29, /Expected "," or "\)" in the list/],
    ['tokens >> 10', 9, /"tokens" compares with a number/],
    ['active < 30', 10, /duration like 30m/],
    ['colour = red', 1, /Expected a field/],
    ['agentId > "a"', 9, /"agentId" is text/],
    ['tokens >= 10 tokens', 14, /join clauses with "and" \/ "or"/],
    ['label = "open', 9, /Unterminated string/],
    ['(tracked or running', 20, /Expected "\)" to close the "\(" at column 1/],
    ['model = x & y', 11, /Unexpected character "&"/],
  ];
  for (const [source, column, message] of cases) {
    const problem = checkFilter(source);
    assert.ok(problem, `${source} should fail`);
    assert.equal(problem.column, column, `${source}: ${problem.message}`);
    assert.match(problem.message, message);
  }
});

test('a bad expression is a settings error naming the setting and the column', () => {
  const r = Settings.safeParse({ filter: { expression: 'tokens >= ten' } });
  assert.equal(r.success, false);
  assert.deepEqual(r.error!.issues[0]!.path, ['filter', 'expression']);
  assert.match(r.error!.issues[0]!.message, /column 11/);
});

/** The seed's rules written out independently, as the reference the default expression must reproduce. */
function seedRules(f: SessionFacts, rules: FilterRules): boolean {
  if (!rules.classes.includes(f.classification)) return false;
  if (f.tracked) return true;
  if (!f.running && f.active > rules.activeMinutes * 60_000) return false;
  return f.tokens >= rules.minTokens;
}

test('the default expression reproduces the seed rules on every combination', () => {
  const rules = FilterRules.parse({});
  const tree = parseFilter(defaultFilterExpression(rules));
  let checked = 0;
  for (const classification of ['main', 'subagent', 'group', 'channel', 'thread', 'cron', 'heartbeat', 'hook', 'system'])
    for (const tokens of [0, 9, 10, 11, 5000])
      for (const active of [0, 29 * 60_000, 30 * 60_000, 30 * 60_000 + 1, Infinity])
        for (const running of [false, true])
          for (const tracked of [false, true]) {
            const f = facts({ classification, tokens, active, running, tracked });
            assert.equal(evaluateFilter(tree, f).keep, seedRules(f, rules), JSON.stringify(f));
            checked++;
          }
  assert.equal(checked, 900);
});
