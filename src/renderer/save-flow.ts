import type { SettingsView } from '../shared/ipc-contract.js';
import type { RendererApi } from '../shared/renderer-api.js';
import type { Settings } from '../shared/settings.js';
import { unwrap } from './api.js';
import { byId, errorText } from './dom.js';
import type { FieldErrorsView } from './field-errors.js';
import { formatTime } from './format.js';
import type { SettingsForm } from './settings-form.js';
import { validateSettings, type FieldErrors } from './validate-settings.js';

/**
 * Validates on every keystroke, keeps Save disabled while invalid, saves and shows main's per-field errors. Revert
 * (or Escape) puts back what main last sent; Enter in a field saves (a checkbox too, which the browser would not).
 */
export class SaveFlow {
  private base: Settings | null = null;
  private view: SettingsView | null = null;
  private loadedControls = '';
  private readonly revertButton: HTMLButtonElement;
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
    this.revertButton = byId<HTMLButtonElement>(doc, 'revert');
    this.save.disabled = true;
    this.revertButton.disabled = true;
    this.revertButton.addEventListener('click', () => this.revert());
    doc.addEventListener('keydown', (e) => this.onKey(e));
    form.element.addEventListener('input', (e) => this.onEdit(e));
    form.element.addEventListener('change', (e) => this.onEdit(e));
    form.element.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.submit();
    });
  }

  load(view: SettingsView): void {
    this.view = view;
    this.base = view.settings;
    this.serverErrors = {};
    this.form.fill(view);
    this.loadedControls = this.controlsNow();
    this.validate();
    this.afterLoad();
  }

  revert(): void {
    if (!this.view || this.saving || !this.isDirty()) return;
    this.load(this.view);
    this.result.textContent = 'Reverted to the saved settings.';
  }

  private isDirty(): boolean {
    return this.controlsNow() !== this.loadedControls;
  }

  // Every control's value, secrets included: a typed token is an edit too (never shown, only compared here).
  private controlsNow(): string {
    const controls = [...this.form.element.elements].filter(
      (e): e is HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement => 'value' in e && !(e instanceof HTMLButtonElement),
    );
    return JSON.stringify(controls.map((c) => (c instanceof HTMLInputElement && c.type === 'checkbox' ? c.checked : c.value)));
  }

  private onKey(e: KeyboardEvent): void {
    if (e.defaultPrevented || e.isComposing) return;
    if (e.key === 'Escape' && this.isDirty()) {
      e.preventDefault();
      this.revert();
    } else if (e.key === 'Enter' && e.target instanceof HTMLInputElement && e.target.type === 'checkbox' && this.form.element.contains(e.target)) {
      e.preventDefault();
      this.form.element.requestSubmit();
    }
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
    this.revertButton.disabled = this.saving || !this.isDirty();
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
