import { parseArgs, type ParseArgsConfig } from 'node:util';
import { cliOptions } from './cli-options.js';

type ParseOptions = NonNullable<ParseArgsConfig['options']>;

// Every value is taken as a string: the settings schema, not the parser, decides what a number is.
const options: ParseOptions = Object.fromEntries(
  cliOptions().map((o) => [o.name, { type: o.arg === undefined ? 'boolean' : 'string', ...(o.short ? { short: o.short } : {}) }]),
);

export interface CliArgs {
  command: 'sync' | 'demo' | 'backfill';
  values: Record<string, string | boolean | undefined>;
}

export class UsageError extends Error {}

export function parseCliArgs(argv: readonly string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}. See --help.`);
  }
  const [command = 'sync', ...rest] = parsed.positionals;
  if (command !== 'sync' && command !== 'demo' && command !== 'backfill') throw new UsageError(`Unknown command "${command}". Commands: sync (default), demo, backfill. See --help.`);
  if (rest.length > 0) throw new UsageError(`Unexpected argument "${rest[0]}". See --help.`);
  return { command, values: parsed.values as CliArgs['values'] };
}
