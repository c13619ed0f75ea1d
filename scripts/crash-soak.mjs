#!/usr/bin/env node
// Crash soak: the CLI SIGKILLed 100 times (named crash points and random moments) while it delivers to loopback
// simulators, restarted each time, then one clean run. Prints what was missing, duplicated and the promised bound.
// Usage: npm run crash-soak [-- --kills 100 --seed 1234 --verbose]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

// The scenario is TypeScript shared with test/delivery/crash-kill.test.ts: run through tsx.
if (!process.execArgv.some((a) => a.includes('tsx'))) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const { values } = parseArgs({ options: { kills: { type: 'string', default: '100' }, seed: { type: 'string' }, verbose: { type: 'boolean', default: false } } });
const kills = Number(values.kills);
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
const { runCrashScenario } = await import('../test/delivery/crash-scenario.ts');

const started = performance.now();
console.log(`crash-soak: ${kills} kills, seed ${seed}`);
const s = await runCrashScenario({ kills, seed, progress: values.verbose ? (line) => console.log(`  ${line}`) : undefined });
const lost = s.missing.input !== 0 || s.missing.output !== 0 || s.missing.costMicros !== 0;
const ok = !lost && s.duplicated <= s.bound && s.boundViolations.length === 0 && s.duplicateTraces === 0 && s.duplicateAgents === 0 && s.finalExitCode === 0;
console.log(`runs ${s.runs}, kills ${s.kills}: ${Object.entries(s.byPoint).map(([k, n]) => `${k} ${n}`).join(', ')}`);
console.log(`missing: input ${s.missing.input}, output ${s.missing.output}, micro-USD ${s.missing.costMicros}`);
console.log(`duplicated: ${s.duplicated} events (bound ${s.bound}: one batch for each of ${s.killsThatMayRepeat} kills after an accepted POST)`);
console.log(`duplicate traces ${s.duplicateTraces}, duplicate agents ${s.duplicateAgents}, final run exit ${s.finalExitCode}`);
for (const v of s.boundViolations) console.log(`bound violated ${v}`);
console.log(`${ok ? 'PASS' : 'FAIL'} in ${((performance.now() - started) / 1000).toFixed(1)} s (CRASH seed ${seed})`);
if (!ok) console.log(s.finalLogTail);
process.exit(ok ? 0 : 1);
