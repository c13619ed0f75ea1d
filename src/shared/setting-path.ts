import { z } from 'zod';
import { Settings, type AlertSettings, type FilterRules } from './settings.js';

type Nested = { filter: FilterRules; alerts: AlertSettings };

/** Every leaf of Settings as a dotted path: `pollIntervalSec`, `filter.minTokens`, `alerts.dayUsdLimit`. */
export type SettingPath =
  | Exclude<keyof Settings, keyof Nested>
  | { [K in keyof Nested]: `${K}.${keyof Nested[K] & string}` }[keyof Nested];

export function readSetting(settings: Settings, path: SettingPath): unknown {
  const [head, tail] = path.split('.') as [string, string | undefined];
  const value = (settings as unknown as Record<string, unknown>)[head];
  return tail === undefined ? value : (value as Record<string, unknown>)[tail];
}

/** Sets (or, for `undefined`, removes) the value at `path` in a plain settings-shaped object. */
export function writeSetting(target: Record<string, unknown>, path: string, value: unknown): void {
  const [head, tail] = path.split('.') as [string, string | undefined];
  const owner = tail === undefined ? target : ((target[head] ??= {}) as Record<string, unknown>);
  const key = tail ?? head;
  if (value === undefined) delete owner[key];
  else owner[key] = value;
}

type Wrapper = { unwrap(): unknown };

/** The schema of one setting without its default/optional wrapper, so a form can read its bounds. */
export function settingSchema(path: SettingPath): unknown {
  const [head, tail] = path.split('.') as [keyof typeof Settings.shape, string | undefined];
  let schema: unknown = Settings.shape[head];
  const bare = () => {
    while (schema instanceof z.ZodDefault || schema instanceof z.ZodOptional) schema = (schema as Wrapper).unwrap();
  };
  bare();
  if (tail !== undefined) schema = (schema as z.ZodObject).shape[tail];
  bare();
  return schema;
}
