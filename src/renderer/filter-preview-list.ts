import type { FilterPreview } from '../shared/sync-status.js';
import { byId } from './dom.js';

/** The compact keep/skip list under the filter expression: one row per session of the last poll, with the reason. */
export class FilterPreviewList {
  private readonly list: HTMLUListElement;
  private readonly empty: HTMLElement;
  private readonly summary: HTMLElement;

  constructor(private readonly doc: Document) {
    this.list = byId<HTMLUListElement>(doc, 'filter-preview-list');
    this.empty = byId(doc, 'filter-preview-empty');
    this.summary = byId(doc, 'filter-preview-summary');
  }

  pending(): void {
    this.summary.textContent = 'Checking…';
  }

  /** No list, just a line saying why (invalid expression, no answer). */
  message(text: string): void {
    this.list.hidden = true;
    this.list.replaceChildren();
    this.summary.textContent = '';
    this.empty.hidden = false;
    this.empty.textContent = text;
  }

  show(preview: FilterPreview, hasPolled: boolean): void {
    if (!preview.ok) return this.message(`Fix the expression to see the preview: ${preview.error}`);
    if (preview.decisions.length === 0) {
      return this.message(hasPolled ? 'The last poll found no sessions.' : 'No poll yet: the preview fills in after the first successful poll.');
    }
    const kept = preview.decisions.filter((d) => d.keep).length;
    this.summary.textContent = `${kept} of ${preview.decisions.length} kept`;
    this.empty.hidden = true;
    this.empty.textContent = '';
    this.list.hidden = false;
    this.list.replaceChildren(
      ...preview.decisions.map((d) => {
        const row = this.doc.createElement('li');
        row.dataset['keep'] = String(d.keep);
        row.append(this.span('verdict', d.keep ? 'keep' : 'skip'), this.span('key', d.key), this.span('reason', d.reason));
        row.title = `${d.key}: ${d.reason}`;
        return row;
      }),
    );
  }

  private span(className: string, text: string): HTMLSpanElement {
    const el = this.doc.createElement('span');
    el.className = className;
    el.textContent = text;
    return el;
  }
}
