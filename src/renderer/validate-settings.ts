import { formSettings, type FormSetting, type SettingDescriptors } from '../shared/setting-descriptors.js';
import { writeSetting } from '../shared/setting-path.js';
import { Settings } from '../shared/settings.js';

type FormOf<D> = D extends { form: { id: infer I extends string; control: infer C } } ? [I, C extends 'checkbox' ? boolean : string] : never;

/** Raw strings/booleans as the form holds them, keyed by each setting's form id (`f-<id>`). */
export type FormValues = { [P in keyof SettingDescriptors as FormOf<SettingDescriptors[P]>[0]]: FormOf<SettingDescriptors[P]>[1] };

// Window fields that are not settings: secrets, the login item and notification prefs (saved beside the settings).
const OTHER_FIELDS = ['token', 'apiKey', 'openAtLogin', 'notifications.dailyTokenBudget', 'notifications.dailyUsdBudget'];

/** Field paths the form shows errors for; server errors use the same dotted paths. */
export const FIELD_PATHS: readonly string[] = [...formSettings().map((s) => s.path), ...OTHER_FIELDS];

export type FieldErrors = Record<string, string>;
export type Validation = { ok: true; settings: Settings } | { ok: false; errors: FieldErrors };

const NOT_A_NUMBER = 'Enter a whole number';

type Read = { value: unknown; error?: string };

function toNumber(raw: string): number | null {
  const n = Number(raw.trim());
  return raw.trim() === '' || !Number.isFinite(n) ? null : n;
}

/** The value a field puts into the candidate settings (`undefined` removes the setting), or why it cannot. */
function read(s: FormSetting, raw: string | boolean): Read {
  if (typeof raw === 'boolean') return { value: raw };
  const blank = raw.trim() === '';
  if (blank && s.form.blankClears) return { value: undefined };
  if (s.kind === 'list') return { value: raw.split(',').map((c) => c.trim()).filter((c) => c !== '') };
  if (s.kind === 'number') {
    const n = toNumber(raw);
    if (n !== null) return { value: n };
    // A required number is sent as 0, so the schema still reports on every other field.
    return { value: s.form.notANumber === undefined ? 0 : Number(raw), error: s.form.notANumber ?? NOT_A_NUMBER };
  }
  return { value: s.form.blankClears ? raw.trim() : raw };
}

/** The known field a zod issue path belongs to (`filter.classes.0` → `filter.classes`), else the joined path. */
export function fieldFor(path: readonly PropertyKey[]): string {
  const joined = path.map(String).join('.');
  return FIELD_PATHS.find((f) => joined === f || joined.startsWith(`${f}.`)) ?? (joined || 'settings');
}

/** Parses the form over the stored settings with the shared schema, so messages match what main answers. */
export function validateSettings(values: FormValues, base: Settings): Validation {
  const candidate = structuredClone(base) as unknown as Record<string, unknown>;
  const formErrors: FieldErrors = {};
  for (const s of formSettings()) {
    const r = read(s, (values as unknown as Record<string, string | boolean>)[s.form.id] ?? '');
    writeSetting(candidate, s.path, r.value);
    if (r.error !== undefined) formErrors[s.path] = r.error;
  }
  const parsed = Settings.safeParse(candidate);
  const errors: FieldErrors = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) errors[fieldFor(issue.path)] ??= issue.message;
  }
  Object.assign(errors, formErrors);
  if (parsed.success && Object.keys(errors).length === 0) return { ok: true, settings: parsed.data };
  return { ok: false, errors };
}
