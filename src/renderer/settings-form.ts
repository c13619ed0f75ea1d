import type { SettingsSaveInput, SettingsView } from '../shared/ipc-contract.js';
import { formSettings } from '../shared/setting-descriptors.js';
import { readSetting } from '../shared/setting-path.js';
import type { Settings } from '../shared/settings.js';
import { byId } from './dom.js';
import type { FieldErrors, FormValues } from './validate-settings.js';

/** A card with fields of its own (secrets), filled, read and checked with the form. */
export interface FormPart {
  fill(view: SettingsView): void;
  saveInput(): Partial<SettingsSaveInput>;
  errors(): FieldErrors;
}

/** Reads and fills the settings form; never puts a stored secret into a field. */
export class SettingsForm {
  readonly element: HTMLFormElement;

  constructor(
    private readonly doc: Document,
    private readonly parts: readonly FormPart[] = [],
  ) {
    this.element = byId<HTMLFormElement>(doc, 'settings-form');
  }

  private input(id: string): HTMLInputElement {
    return byId<HTMLInputElement>(this.doc, id);
  }

  values(): FormValues {
    const values: Record<string, string | boolean> = {};
    for (const { form } of formSettings()) {
      const control = this.control(form.id);
      values[form.id] = control instanceof HTMLInputElement && control.type === 'checkbox' ? control.checked : control.value;
    }
    return values as unknown as FormValues;
  }

  private control(id: string): HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement {
    return byId<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(this.doc, `f-${id}`);
  }

  /** Empty secret fields mean "keep what is stored", so they are left out of the save. */
  saveInput(settings: Settings): SettingsSaveInput {
    const token = this.input('f-token').value;
    const apiKey = this.input('f-apiKey').value;
    return {
      settings,
      ...(token !== '' ? { token } : {}),
      ...(apiKey !== '' ? { apiKey } : {}),
      openAtLogin: this.input('f-openAtLogin').checked,
      notifications: this.notifications(),
      ...Object.assign({}, ...this.parts.map((p) => p.saveInput())),
    };
  }

  /** Problems in fields that are not settings (the schema cannot see them). */
  partErrors(): FieldErrors {
    return Object.assign({}, ...this.parts.map((p) => p.errors())) as FieldErrors;
  }

  /** Blank budgets are off (null); anything else goes to main as typed, so its schema names a bad one. */
  private notifications(): Record<string, unknown> {
    const budget = (id: string) => {
      const raw = this.input(id).value.trim();
      return raw === '' ? null : Number(raw);
    };
    return {
      failure: this.input('f-notifyFailure').checked,
      recovery: this.input('f-notifyRecovery').checked,
      deadLetter: this.input('f-notifyDeadLetter').checked,
      dailyTokenBudget: budget('f-dailyTokenBudget'),
      dailyUsdBudget: budget('f-dailyUsdBudget'),
    };
  }

  tokenDraft(): string | undefined {
    return this.input('f-token').value || undefined;
  }

  apiKeyDraft(): string | undefined {
    return this.input('f-apiKey').value || undefined;
  }

  fill(view: SettingsView): void {
    const s = view.settings;
    for (const { path, form } of formSettings()) {
      const control = this.control(form.id);
      const value = readSetting(s, path);
      if (typeof value === 'boolean' && control instanceof HTMLInputElement) control.checked = value;
      else control.value = Array.isArray(value) ? value.join(', ') : value === undefined ? '' : String(value);
    }
    this.showMetrics(view.metrics);
    this.input('f-openAtLogin').checked = view.openAtLogin;
    const n = view.notifications;
    this.input('f-notifyFailure').checked = n.failure;
    this.input('f-notifyRecovery').checked = n.recovery;
    this.input('f-notifyDeadLetter').checked = n.deadLetter;
    this.input('f-dailyTokenBudget').value = n.dailyTokenBudget === null ? '' : String(n.dailyTokenBudget);
    this.input('f-dailyUsdBudget').value = n.dailyUsdBudget === null ? '' : String(n.dailyUsdBudget);
    this.fillSecret('f-token', view.hasToken, 'stored — type to replace', 'not set');
    this.fillSecret('f-apiKey', view.hasApiKey, 'stored — type to replace', 'none');
    for (const part of this.parts) part.fill(view);
    const note = byId(this.doc, 'secret-storage-note');
    note.hidden = view.secretStorage === 'os';
    note.textContent =
      view.secretStorage === 'basic'
        ? 'Secrets are only obfuscated (basic text encryption): no keyring was found. Install and unlock GNOME Keyring or KWallet, then save the token again.'
        : 'This system offers no encryption for secrets, so a token cannot be saved here. Use a token file (tokenFile / apiKeyFile) instead.';
  }

  /** What main reports about the metrics server it runs for the saved port. */
  private showMetrics(metrics: SettingsView['metrics']): void {
    const line = byId(this.doc, 'f-metricsPort-state');
    line.hidden = metrics === undefined || metrics.state === 'off';
    line.classList.toggle('warn', metrics?.state === 'failed');
    line.textContent = metrics?.state === 'serving' ? `Serving ${metrics.url}` : metrics?.state === 'failed' ? metrics.error : '';
  }

  private fillSecret(id: string, stored: boolean, storedText: string, emptyText: string): void {
    const field = this.input(id);
    field.value = '';
    field.placeholder = stored ? storedText : emptyText;
  }
}
