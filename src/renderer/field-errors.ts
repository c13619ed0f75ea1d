import type { FieldErrors } from './validate-settings.js';

/** Shows one message per field next to its control and marks it aria-invalid; unknown keys go to `fallback`. */
export class FieldErrorsView {
  constructor(
    private readonly form: HTMLFormElement,
    private readonly fallback: HTMLElement,
  ) {}

  show(errors: FieldErrors): void {
    const unplaced = new Map(Object.entries(errors));
    for (const control of this.controls()) {
      const path = control.dataset['path'] ?? '';
      const message = errors[path];
      unplaced.delete(path);
      const slot = this.form.ownerDocument.getElementById(`${control.id}-error`);
      if (slot) slot.textContent = message ?? '';
      if (message) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
    }
    this.fallback.textContent = [...unplaced].map(([k, m]) => `${k}: ${m}`).join(' · ');
  }

  private controls(): HTMLElement[] {
    return [...this.form.querySelectorAll<HTMLElement>('[data-path]')];
  }
}
