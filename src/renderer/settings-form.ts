import type { SettingsSaveInput, SettingsView } from '../shared/ipc-contract.js';
import type { Settings } from '../shared/settings.js';
import { byId } from './dom.js';
import type { FormValues } from './validate-settings.js';

/** Reads and fills the settings form; never puts a stored secret into a field. */
export class SettingsForm {
  readonly element: HTMLFormElement;

  constructor(private readonly doc: Document) {
    this.element = byId<HTMLFormElement>(doc, 'settings-form');
  }

  private input(id: string): HTMLInputElement {
    return byId<HTMLInputElement>(this.doc, id);
  }

  values(): FormValues {
    return {
      openclawUrl: this.input('f-openclawUrl').value,
      agentwatchUrl: this.input('f-agentwatchUrl').value,
      pollIntervalSec: this.input('f-pollIntervalSec').value,
      sink: byId<HTMLSelectElement>(this.doc, 'f-sink').value,
      otlpUrl: this.input('f-otlpUrl').value,
      live: this.input('f-live').checked,
      classes: this.input('f-classes').value,
      activeMinutes: this.input('f-activeMinutes').value,
      minTokens: this.input('f-minTokens').value,
      filterExpression: byId<HTMLTextAreaElement>(this.doc, 'f-filterExpression').value,
      metricsPort: this.input('f-metricsPort').value,
    };
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
    };
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
    this.input('f-openclawUrl').value = s.openclawUrl;
    this.input('f-agentwatchUrl').value = s.agentwatchUrl;
    this.input('f-pollIntervalSec').value = String(s.pollIntervalSec);
    byId<HTMLSelectElement>(this.doc, 'f-sink').value = s.sink;
    this.input('f-otlpUrl').value = s.otlpUrl;
    this.input('f-live').checked = s.live;
    this.input('f-classes').value = s.filter.classes.join(', ');
    this.input('f-activeMinutes').value = String(s.filter.activeMinutes);
    this.input('f-minTokens').value = String(s.filter.minTokens);
    byId<HTMLTextAreaElement>(this.doc, 'f-filterExpression').value = s.filter.expression ?? '';
    this.input('f-metricsPort').value = s.metricsPort === undefined ? '' : String(s.metricsPort);
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
