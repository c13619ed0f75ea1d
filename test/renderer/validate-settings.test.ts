import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SETTINGS } from '../../src/shared/settings.js';
import { fieldFor, validateSettings, type FormValues } from '../../src/renderer/validate-settings.js';

const form = (over: Partial<FormValues> = {}): FormValues => ({
  openclawUrl: 'http://127.0.0.1:18789',
  agentwatchUrl: 'http://localhost:8765',
  pollIntervalSec: '30',
  sink: 'auto',
  otlpUrl: 'http://127.0.0.1:4318',
  live: true,
  finishedSubagentGraceMin: '10',
  trayTitle: 'off',
  classes: 'main, subagent',
  activeMinutes: '30',
  minTokens: '10',
  filterExpression: '',
  metricsPort: '',
  alertSlackEnabled: true,
  alertPagerdutyEnabled: true,
  alertFailingMinutes: '5',
  alertSessionTokens: '',
  alertSessionUsd: '',
  alertDayTokens: '',
  alertDayUsd: '',
  alertFailedSessions: true,
  checkForUpdates: true,
  ...over,
});

test('a valid form parses over the stored settings, keeping fields the window does not edit', () => {
  const base = { ...DEFAULT_SETTINGS, batchSize: 7, dashboardUrl: 'http://dash.local:8766' };
  const v = validateSettings(form({ pollIntervalSec: ' 45 ', classes: ' main ,, group ' }), base);
  assert.ok(v.ok);
  assert.equal(v.settings.pollIntervalSec, 45);
  assert.deepEqual(v.settings.filter.classes, ['main', 'group']);
  assert.equal(v.settings.batchSize, 7);
  assert.equal(v.settings.dashboardUrl, 'http://dash.local:8766');
});

test('errors are keyed by the dotted field path with the schema message; blanks ask for a number', () => {
  const v = validateSettings(form({ openclawUrl: 'localhost', pollIntervalSec: '2', minTokens: '', classes: ' , ' }), DEFAULT_SETTINGS);
  assert.ok(!v.ok);
  assert.deepEqual(v.errors, {
    openclawUrl: 'must be an http:// or https:// URL, e.g. http://127.0.0.1:18789',
    pollIntervalSec: 'Too small: expected number to be >=5',
    'filter.classes': 'Too small: expected array to have >=1 items',
    'filter.minTokens': 'Enter a whole number',
  });
});

test('issue paths map to the field that shows them', () => {
  assert.equal(fieldFor(['filter', 'classes', 0]), 'filter.classes');
  assert.equal(fieldFor(['sink']), 'sink');
  assert.equal(fieldFor(['unknownThing']), 'unknownThing');
  assert.equal(fieldFor([]), 'settings');
});

test('a filter expression is trimmed into filter.expression; blank removes a stored one', () => {
  const stored = { ...DEFAULT_SETTINGS, filter: { ...DEFAULT_SETTINGS.filter, expression: 'running' } };
  const set = validateSettings(form({ filterExpression: '  classification in (main) and tokens >= 100 ' }), stored);
  assert.ok(set.ok);
  assert.equal(set.settings.filter.expression, 'classification in (main) and tokens >= 100');
  const cleared = validateSettings(form({ filterExpression: '  ' }), stored);
  assert.ok(cleared.ok);
  assert.equal('expression' in cleared.settings.filter, false);
});

test('an invalid filter expression is an error on filter.expression with its column', () => {
  const v = validateSettings(form({ filterExpression: 'tokens >= lots' }), DEFAULT_SETTINGS);
  assert.ok(!v.ok);
  assert.deepEqual(v.errors, { 'filter.expression': '"tokens" compares with a number like 10 (column 11)' });
});

test('the metrics port: blank = off, a number is kept, anything else asks for a port', () => {
  const stored = { ...DEFAULT_SETTINGS, metricsPort: 9464 };
  const off = validateSettings(form(), stored);
  assert.ok(off.ok);
  assert.equal('metricsPort' in off.settings, false);
  const on = validateSettings(form({ metricsPort: ' 9100 ' }), DEFAULT_SETTINGS);
  assert.ok(on.ok);
  assert.equal(on.settings.metricsPort, 9100);
  const bad = validateSettings(form({ metricsPort: 'ninety' }), DEFAULT_SETTINGS);
  assert.ok(!bad.ok);
  assert.deepEqual(bad.errors, { metricsPort: 'Enter a port number such as 9464, or leave it empty to turn metrics off' });
  const big = validateSettings(form({ metricsPort: '70000' }), DEFAULT_SETTINGS);
  assert.ok(!big.ok);
  assert.equal(big.errors['metricsPort'], 'Too big: expected number to be <=65535');
});

test('the OTLP collector URL is validated like the other URLs', () => {
  const r = validateSettings(form({ sink: 'otlp', otlpUrl: 'collector:4318' }), DEFAULT_SETTINGS);
  assert.equal(r.ok, false);
  assert.match(r.ok ? '' : r.errors.otlpUrl ?? '', /http:\/\/ or https:\/\//);
  const ok = validateSettings(form({ sink: 'otlp', otlpUrl: 'http://otel:4318' }), DEFAULT_SETTINGS);
  assert.equal(ok.ok && ok.settings.otlpUrl, 'http://otel:4318');
});
