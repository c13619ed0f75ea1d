import { z } from 'zod';
import type { FormField } from '../shared/setting-descriptor.js';
import { formSettings, type FormSetting } from '../shared/setting-descriptors.js';
import { settingSchema } from '../shared/setting-path.js';

type Attrs = Record<string, string>;

function el<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, attrs: Attrs, text?: string): HTMLElementTagNameMap[K] {
  const node = doc.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

const TEXT_ENTRY: Attrs = { autocomplete: 'off', spellcheck: 'false' };

// Bounds come from the schema, so the browser's spinner stops where validation would.
function controlAttrs(s: FormSetting): [keyof HTMLElementTagNameMap, Attrs] {
  const schema = settingSchema(s.path);
  switch (s.form.control) {
    case 'url':
      return ['input', { type: 'url', ...TEXT_ENTRY }];
    case 'text':
      return ['input', { type: 'text', ...TEXT_ENTRY }];
    case 'port':
      return ['input', { type: 'text', inputmode: 'numeric', ...TEXT_ENTRY, placeholder: 'off' }];
    case 'number':
      return ['input', { type: 'number', inputmode: 'numeric', min: String((schema as z.ZodNumber).minValue), step: '1' }];
    case 'textarea':
      return ['textarea', { rows: '2', maxlength: String((schema as z.ZodString).maxLength), ...TEXT_ENTRY }];
    case 'select':
      return ['select', {}];
    case 'checkbox':
      return ['input', { type: 'checkbox' }];
  }
}

function describedBy(f: FormField): string {
  const ids = [f.hint ? 'hint' : '', f.state ? 'state' : '', 'error', f.caret ? 'caret' : ''].filter(Boolean);
  return ids.map((suffix) => `f-${f.id}-${suffix}`).join(' ');
}

function control(doc: Document, s: FormSetting): HTMLElement {
  const f = s.form;
  const [tag, attrs] = controlAttrs(s);
  const describe: Attrs = f.control === 'checkbox' ? {} : { 'aria-describedby': describedBy(f) };
  const node = el(doc, tag, { id: `f-${f.id}`, 'data-path': s.path, ...attrs, ...describe });
  for (const [value, label] of Object.entries(f.options ?? {})) node.append(el(doc, 'option', { value }, label));
  return node;
}

function field(doc: Document, s: FormSetting): HTMLElement {
  const f = s.form;
  if (f.control === 'checkbox') {
    const check = el(doc, 'label', { class: 'check' });
    check.append(control(doc, s), ` ${f.label}`);
    return check;
  }
  const box = el(doc, 'div', { class: 'field' });
  box.append(el(doc, 'label', { for: `f-${f.id}` }, f.label), control(doc, s));
  if (f.hint) {
    const hint = el(doc, 'p', { id: `f-${f.id}-hint`, class: 'hint' }, f.hint);
    if (f.hintCode) hint.append(el(doc, 'code', {}, f.hintCode));
    box.append(hint);
  }
  if (f.state) box.append(el(doc, 'p', { id: `f-${f.id}-state`, class: 'hint', role: 'status', 'aria-live': 'polite', hidden: '' }));
  box.append(el(doc, 'p', { id: `f-${f.id}-error`, class: 'field-error' }));
  if (f.caret) box.append(el(doc, 'pre', { id: `f-${f.id}-caret`, class: 'caret', hidden: '' }));
  return box;
}

/** Replaces each `data-setting` placeholder in index.html with the setting's control, built from its descriptor. */
export function renderSettingFields(doc: Document): void {
  for (const s of formSettings()) {
    const slot = doc.querySelector(`[data-setting="${s.path}"]`);
    if (!slot) throw new Error(`settings window: index.html has no place for ${s.path} (data-setting="${s.path}")`);
    slot.replaceWith(field(doc, s));
  }
}
