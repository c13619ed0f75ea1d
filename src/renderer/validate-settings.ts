import { Settings } from '../shared/settings.js';

/** Raw strings/booleans as the form holds them. */
export interface FormValues {
  openclawUrl: string;
  agentwatchUrl: string;
  pollIntervalSec: string;
  sink: string;
  otlpUrl: string;
  live: boolean;
  classes: string;
  activeMinutes: string;
  minTokens: string;
  /** Blank = no expression: the three rules above decide. */
  filterExpression: string;
  /** Blank = no metrics server. */
  metricsPort: string;
}

/** Field paths the form shows errors for; server errors use the same dotted paths. */
export const FIELD_PATHS = [
  'openclawUrl',
  'token',
  'agentwatchUrl',
  'apiKey',
  'sink',
  'otlpUrl',
  'pollIntervalSec',
  'filter.activeMinutes',
  'filter.minTokens',
  'filter.classes',
  'filter.expression',
  'metricsPort',
  'live',
  'openAtLogin',
  'notifications.dailyTokenBudget',
  'notifications.dailyUsdBudget',
] as const;

export type FieldErrors = Record<string, string>;
export type Validation = { ok: true; settings: Settings } | { ok: false; errors: FieldErrors };

const NOT_A_NUMBER = 'Enter a whole number';

function toNumber(raw: string): number | null {
  const n = Number(raw.trim());
  return raw.trim() === '' || !Number.isFinite(n) ? null : n;
}

/** The known field a zod issue path belongs to (`filter.classes.0` → `filter.classes`), else the joined path. */
export function fieldFor(path: readonly PropertyKey[]): string {
  const joined = path.map(String).join('.');
  return FIELD_PATHS.find((f) => joined === f || joined.startsWith(`${f}.`)) ?? (joined || 'settings');
}

/** Parses the form over the stored settings with the shared schema, so messages match what main answers. */
export function validateSettings(values: FormValues, base: Settings): Validation {
  const numbers = {
    pollIntervalSec: toNumber(values.pollIntervalSec),
    'filter.activeMinutes': toNumber(values.activeMinutes),
    'filter.minTokens': toNumber(values.minTokens),
  };
  const expression = values.filterExpression.trim();
  const port = values.metricsPort.trim();
  const { expression: _stored, ...baseFilter } = base.filter;
  const { metricsPort: _storedPort, ...baseSettings } = base;
  const candidate = {
    ...baseSettings,
    ...(port !== '' ? { metricsPort: Number(port) } : {}),
    openclawUrl: values.openclawUrl,
    agentwatchUrl: values.agentwatchUrl,
    pollIntervalSec: numbers.pollIntervalSec ?? 0,
    sink: values.sink,
    otlpUrl: values.otlpUrl,
    live: values.live,
    filter: {
      ...baseFilter,
      ...(expression !== '' ? { expression } : {}),
      classes: values.classes.split(',').map((c) => c.trim()).filter((c) => c !== ''),
      activeMinutes: numbers['filter.activeMinutes'] ?? 0,
      minTokens: numbers['filter.minTokens'] ?? 0,
    },
  };
  const parsed = Settings.safeParse(candidate);
  const errors: FieldErrors = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) errors[fieldFor(issue.path)] ??= issue.message;
  }
  for (const [field, n] of Object.entries(numbers)) if (n === null) errors[field] = NOT_A_NUMBER;
  if (port !== '' && !Number.isFinite(Number(port))) errors['metricsPort'] = 'Enter a port number such as 9464, or leave it empty to turn metrics off';
  if (parsed.success && Object.keys(errors).length === 0) return { ok: true, settings: parsed.data };
  return { ok: false, errors };
}
