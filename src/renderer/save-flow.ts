import type { SettingsView } from '../shared/ipc-contract.js';
import type { RendererApi } from '../shared/renderer-api.js';
import type { Settings } from '../shared/settings.js';
import { unwrap } from './api.js';
import { byId, errorText } from './dom.js';
import type { FieldErrorsView } from './field-errors.js';
import { formatTime } from './format.js';
import type { SettingsForm } from './settings-form.js';
import { validateSettings, type FieldErrors } from './validate-settings.js';

/** Validates on every keystroke, keeps Save disabled while invalid, saves and shows main's per-field errors. */
export class SaveFlow {
  private base: Settings | null = null;
  private serverErrors: FieldErrors = {};
  private saving = false;
  private readonly save: HTMLButtonElement;
  private readonly result: HTMLElement;

  constructor(
    private readonly doc: Document,
    private readonly api: RendererApi,
    private readonly form: SettingsForm,
    private readonly errors: FieldErrorsView,
    private readonly now: () => number,
    /** After the form is (re)filled from main: on open and after each save. */
    private readonly afterLoad: () => void = () => {},
  ) {
    this.save = byId<HTMLButtonElement>(doc, 'save');
    this.result = byId(doc, 'save-result');
    this.save.disabled = true;
    form.element.addEventListener('input', (e) => this.onEdit(e));
    form.element.addEventListener('change', (e) => this.onEdit(e));
    form.element.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.submit();
    });
  }

  load(view: SettingsView): void {
    this.base = view.settings;
    this.serverErrors = {};
    this.form.fill(view);
    this.validate();
    this.afterLoad();
  }

  private onEdit(e: Event): void {
    // A server error belongs to the value it was given for; editing that field retires it.
    const path = (e.target as HTMLElement | null)?.dataset?.['path'];
    if (path) delete this.serverErrors[path];
    this.validate();
  }

  private validate(): ReturnType<typeof validateSettings> | null {
    if (!this.base) return null;
    const checked = validateSettings(this.form.values(), this.base);
    const partErrors = this.form.partErrors();
    const v: typeof checked = Object.keys(partErrors).length === 0 ? checked : { ok: false, errors: { ...(checked.ok ? {} : checked.errors), ...partErrors } };
    this.errors.show({ ...(v.ok ? {} : v.errors), ...this.serverErrors });
    this.save.disabled = this.saving || !v.ok;
    return v;
  }

  private async submit(): Promise<void> {
    const v = this.validate();
    if (!v?.ok || this.saving) return;
    this.saving = true;
    this.save.disabled = true;
    this.result.textContent = 'Saving…';
    try {
      const answer = await unwrap(this.api.saveSettings(this.form.saveInput(v.settings)));
      if (answer.ok) {
        this.load(answer.view);
        this.result.textContent = `Saved at ${formatTime(this.now())}.`;
      } else {
        this.serverErrors = answer.errors;
        this.result.textContent = 'Not saved: fix the marked fields.';
      }
    } catch (error) {
      this.result.textContent = `Not saved: ${errorText(error)}`;
    } finally {
      this.saving = false;
      this.validate();
    }
  }
}
