import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createLogger, formatLine } from '../../src/sync/logger.js';
import { tempDir } from '../support/engine-kit.js';

test('lines use the seed format with local time and the level name', () => {
  const at = new Date(2026, 1, 10, 20, 30, 45).getTime();
  assert.equal(formatLine(at, 'INFO', 'Poll #2: 5 sessions → 2 events (0.45s)'), '2026-02-10 20:30:45 [INFO] - Poll #2: 5 sessions → 2 events (0.45s)');
});

test('secrets are replaced before a line reaches the console or the file', async () => {
  const dir = await tempDir();
  const out: string[] = [];
  const secret = 'tok_0123456789abcdef';
  const log = createLogger({ level: 'DEBUG', console: { write: (s: string) => out.push(s) } as unknown as NodeJS.WritableStream, file: { path: join(dir.path, 'sync.log'), maxBytes: 1 << 20, keep: 2 }, secrets: () => [secret] });
  log.error(`connect failed with token ${secret} (twice: ${secret})`);
  const file = await readFile(join(dir.path, 'sync.log'), 'utf8');
  await dir.remove();
  for (const text of [out.join(''), file]) {
    assert.ok(!text.includes(secret));
    assert.match(text, /connect failed with token \*\*\* \(twice: \*\*\*\)/);
  }
});

test('the level filters, and the log file rotates by size keeping N generations', async () => {
  const dir = await tempDir();
  const path = join(dir.path, 'agentwatch.log');
  const log = createLogger({ level: 'INFO', console: null, file: { path, maxBytes: 200, keep: 2 } });
  log.debug('hidden');
  for (let i = 0; i < 20; i++) log.info(`line ${i} ${'x'.repeat(40)}`);
  const files = (await readdir(dir.path)).sort();
  const current = await readFile(path, 'utf8');
  await dir.remove();
  assert.deepEqual(files, ['agentwatch.log', 'agentwatch.log.1', 'agentwatch.log.2']);
  assert.ok(Buffer.byteLength(current) <= 200);
  assert.match(current, /line 19/);
  assert.ok(!current.includes('hidden'));
});
