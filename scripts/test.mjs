#!/usr/bin/env node
// Runs every test/**/*.test.ts with node's own runner through tsx (Node 20's --test has no glob support).
// Usage: npm test [-- path/or/substring ...]
// Prepares the real gateway when a selected file needs it, and ends with what did not run and why.
// `electron` resolves to test/support/fake-electron in every test (the real package downloads a binary).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

function findTests(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'fixtures' ? [] : findTests(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

const filters = process.argv.slice(2);
// A filter naming a test file is taken as it is (also one under fixtures/, which the walk leaves out).
const named = filters.filter((x) => x.endsWith('.test.ts') && existsSync(x));
const files = [
  ...new Set([
    ...named.map((f) => relative('.', f)),
    ...findTests('test')
      .map((f) => relative('.', f))
      .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x))),
  ]),
].sort();
if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ')}`);
  process.exit(1);
}
// The real-gateway suites need openclaw + Node 24 from npm (cached in .cache/openclaw, ~40 s once, ~2 s after):
// prepared here so the README's one test command runs everything but Chromium and Electron.
if (files.some((f) => f.startsWith(join('test', 'integration')))) {
  const prepared = spawnSync(process.execPath, ['scripts/prepare-openclaw.mjs'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (prepared.status !== 0) console.error('npm test: could not prepare the real OpenClaw gateway (see above); its suites will say so.');
}

const skipsDir = mkdtempSync(join(tmpdir(), 'agentwatch-test-skips-'));
const skipsFile = join(skipsDir, 'skips.jsonl');
const result = spawnSync(
  process.execPath,
  [
    '--import', './test/support/fake-electron/register.mjs', '--import', 'tsx', '--test', '--test-concurrency=2',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=./test/support/skip-reporter.mjs', `--test-reporter-destination=${skipsFile}`,
    ...files,
  ],
  { stdio: 'inherit', env: { ...process.env, AGENTWATCH_SYNC_TEST: '1' } },
);
reportSkips(skipsFile);
rmSync(skipsDir, { recursive: true, force: true });
process.exit(result.status ?? 1);

/** The last lines: what did not run, grouped by reason, with the reason's own remedy (the skip text names it). */
function reportSkips(path) {
  let lines;
  try {
    lines = readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  } catch {
    return; // the runner died before the reporter wrote anything: its own output says why
  }
  if (lines.length === 0) return;
  const byReason = new Map();
  for (const s of lines) {
    const reason = s.reason || 'skipped without a reason';
    const group = byReason.get(reason) ?? { suites: 0, tests: 0, files: new Set() };
    group[s.kind === 'suite' ? 'suites' : 'tests'] += 1;
    group.files.add(relative('.', s.file.replace(/^file:\/\//, '')));
    byReason.set(reason, group);
  }
  const out = ['', `Did not run (${lines.length} skipped ${lines.length === 1 ? 'entry' : 'entries'}; a skipped suite's tests are not counted one by one):`];
  for (const [reason, g] of byReason) {
    const what = [g.suites && `${g.suites} suite${g.suites === 1 ? '' : 's'}`, g.tests && `${g.tests} test${g.tests === 1 ? '' : 's'}`].filter(Boolean).join(' + ');
    out.push(`  ${what} in ${[...g.files].join(', ')}`, `    ${reason}`);
  }
  console.log(out.join('\n'));
}
