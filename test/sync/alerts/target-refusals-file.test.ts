import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { TargetRefusals } from '../../../src/sync/alerts/target-refusals.js';

function recordingLog() {
  const lines: string[] = [];
  return { lines, log: { debug() {}, info() {}, warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) } };
}

const slack = { kind: 'slack' as const, fingerprint: 'a1b2c3d4e5f60718' };

test('durable refusals come back after a restart, are forgotten when the setting changed, and the file is private', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'refusals-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'state', 'alert-refusals.json');
  const first = TargetRefusals.durable(path, recordingLog().log);
  first.refuse(slack, 'Slack refused the alert (HTTP 404 no_service)');
  if (process.platform !== 'win32') assert.equal(statSync(path).mode & 0o777, 0o600);
  const again = TargetRefusals.durable(path, recordingLog().log);
  assert.equal(again.of(slack)?.line, 'Slack refused the alert (HTTP 404 no_service)');
  again.retain([{ kind: 'slack', fingerprint: 'ffffffffffffffff' }]);
  assert.equal(TargetRefusals.durable(path, recordingLog().log).of(slack), undefined, 'a new URL lifts the stop for good');
  assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), {});
});

test('an unreadable refusals file is one warning and nothing held back', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'refusals-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'alert-refusals.json');
  writeFileSync(path, '{"slack": {"fingerprint": 7}}');
  const { lines, log } = recordingLog();
  const r = TargetRefusals.durable(path, log);
  assert.equal(r.of(slack), undefined);
  assert.deepEqual(lines, [`The alert target refusals ${path} is not valid alert target refusals; a target that refused alerts before is tried again.`]);
});
