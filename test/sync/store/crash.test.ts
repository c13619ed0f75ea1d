import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '../../../src/sync/ports.js';
import { createNodeDurableFs } from '../../../src/sync/store/durable-fs.js';
import { SyncState } from '../../../src/sync/store/sync-state.js';
import { FakeClock, tempDir } from './store-test-kit.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const child = fileURLToPath(new URL('./crash-child.ts', import.meta.url));

/** Starts the booking child, SIGKILLs it after `afterLines` resolved bookings; returns the last one it reported. */
function runAndKill(dir: string, afterLines: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, dir], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let last = 0;
    let seen = 0;
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    createInterface({ input: proc.stdout }).on('line', (line) => {
      last = Math.max(last, Number(line));
      seen += 1;
      if (seen === afterLines) proc.kill('SIGKILL');
    });
    proc.on('error', reject);
    proc.on('close', (code, signal) => {
      if (signal === 'SIGKILL') resolve(last);
      else reject(new Error(`the child exited by itself (code ${code}): ${stderr}`));
    });
  });
}

/** Opens the state as found on disk and closes it without compacting, so the next round sees the raw files. */
async function inspect(dir: string) {
  const fs = createNodeDurableFs();
  const state = await SyncState.open({ dir, fs, clock: new FakeClock(), log: silentLogger, maxOutbox: 1_000_000 });
  const result = {
    booked: state.entry('all')?.booked.input ?? 0,
    sessions: [0, 1, 2].map((k) => state.entry(`s${k}`)?.booked.input ?? 0),
    outbox: state.pending(Number.MAX_SAFE_INTEGER).map((d) => d.id),
    counters: state.counters,
    hourlyTokens: state.hourly(0).reduce((sum, b) => sum + b.tokens, 0),
    lastSeventh: state.memory.get('last-seventh'),
  };
  await fs.close();
  return result;
}

test('SIGKILL at random moments never leaves a booking half applied', { timeout: 120_000 }, async (t) => {
  const dir = await tempDir(t);
  let reported = 0;
  for (let round = 1; round <= 5; round += 1) {
    const afterLines = 1 + Math.floor(Math.random() * 60);
    const context = `round ${round}, killed after ${afterLines} bookings`;
    reported = await runAndKill(dir, afterLines);
    const s = await inspect(dir);
    const n = s.booked;
    assert.ok(n >= reported, `${context}: booking ${reported} resolved, so it is on disk (found ${n})`);

    const present = new Set(s.outbox);
    const expectedOrder: string[] = [];
    for (let j = 1; j <= n + 10; j += 1) {
      const pair = [`d${j}-0`, `d${j}-1`];
      assert.equal(present.has(pair[0]!), present.has(pair[1]!), `${context}: booking ${j} is all or nothing`);
      if (j > n) assert.ok(!present.has(pair[0]!), `${context}: booking ${j} is beyond the ledger, so absent`);
      if (j > n - 5 && j <= n) assert.ok(present.has(pair[0]!), `${context}: booking ${j} was never acked`);
      if (present.has(pair[0]!)) expectedOrder.push(...pair);
    }
    assert.deepEqual(s.outbox, expectedOrder, `${context}: outbox order`);
    // Every booked delta is either still queued or delivered: none lost, none twice.
    assert.equal(s.counters.delivered + s.outbox.length, 2 * n, `${context}: conservation`);
    assert.equal(s.counters.dropped, 0);
    assert.equal(s.hourlyTokens, 2 * 3 * n, `${context}: hourly usage booked exactly once per delta`);
    for (const k of [0, 1, 2]) {
      const lastOfSession = n - ((((n - k) % 3) + 3) % 3);
      assert.equal(s.sessions[k], lastOfSession > 0 ? lastOfSession : 0, `${context}: ledger of s${k}`);
    }
    // Memory is set after booking a multiple of 7, so a kill in between leaves the previous multiple.
    const multiple = n - (n % 7);
    if (n >= 14) assert.ok([multiple, multiple - 7].includes(Number(s.lastSeventh)), `${context}: sink memory`);
  }
});
