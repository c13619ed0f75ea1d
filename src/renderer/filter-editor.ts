import { defaultFilterExpression } from '../shared/filter-dsl/default-filter.js';
import { checkFilter } from '../shared/filter-dsl/parse-filter.js';
import type { RendererApi } from '../shared/renderer-api.js';
import { FilterRules } from '../shared/settings.js';
import { unwrap } from './api.js';
import { byId, errorText } from './dom.js';
import type { FilterPreviewList } from './filter-preview-list.js';

export interface FilterEditorDeps {
  api: Pick<RendererApi, 'previewFilter'>;
  list: FilterPreviewList;
  /** Starts a one-shot timer; returns its cancel function. */
  later(ms: number, fn: () => void): () => void;
  /** Whether a poll has succeeded yet (an empty preview then means "no sessions", not "no poll yet"). */
  hasPolled(): boolean;
}

// Long enough to skip the keystrokes of a word, short enough to feel live.
const PREVIEW_DELAY_MS = 250;
// Characters of context kept left of the caret when an error sits far into a long line.
const CARET_CONTEXT = 48;

const RULE_FIELDS = ['f-classes', 'f-activeMinutes', 'f-minTokens'] as const;

/**
 * The filter expression field: points a caret at the error column, shows the rule fields as replaced while an
 * expression is set, and previews (debounced) how the expression — or the rules — judge the last poll's sessions.
 */
export class FilterEditor {
  private readonly field: HTMLTextAreaElement;
  private readonly caret: HTMLElement;
  private cancelTimer: () => void = () => {};
  private sequence = 0;

  constructor(
    private readonly doc: Document,
    private readonly d: FilterEditorDeps,
  ) {
    this.field = byId<HTMLTextAreaElement>(doc, 'f-filterExpression');
    this.caret = byId(doc, 'f-filterExpression-caret');
    this.field.addEventListener('input', () => this.refresh());
    for (const id of RULE_FIELDS) byId(doc, id).addEventListener('input', () => this.refresh());
  }

  /** Re-renders from the current form (after a load, an edit, or a poll that brought new sessions). */
  refresh(): void {
    const expression = this.field.value.trim();
    const rules = this.rules();
    const fallback = rules ? defaultFilterExpression(rules) : '';
    this.field.placeholder = fallback;
    for (const id of RULE_FIELDS) byId<HTMLInputElement>(this.doc, id).disabled = expression !== '';
    byId(this.doc, 'filter-rules-replaced').hidden = expression === '';

    const problem = expression ? checkFilter(expression) : null;
    this.showCaret(expression, problem?.column ?? null);
    this.cancelTimer();
    this.sequence++;
    if (problem) return this.d.list.message('Fix the expression to see the preview.');
    const judged = expression || fallback;
    if (!judged) return this.d.list.message('Fix the rules above to see the preview.');
    this.d.list.pending();
    const ticket = this.sequence;
    this.cancelTimer = this.d.later(PREVIEW_DELAY_MS, () => void this.preview(judged, ticket));
  }

  private async preview(expression: string, ticket: number): Promise<void> {
    try {
      const answer = await unwrap(this.d.api.previewFilter(expression));
      if (ticket === this.sequence) this.d.list.show(answer, this.d.hasPolled());
    } catch (error) {
      if (ticket === this.sequence) this.d.list.message(`Preview unavailable: ${errorText(error)}`);
    }
  }

  /** The rule fields as the schema would take them; null while one is invalid. */
  private rules(): FilterRules | null {
    const value = (id: string) => byId<HTMLInputElement>(this.doc, id).value;
    const parsed = FilterRules.safeParse({
      classes: value('f-classes').split(',').map((c) => c.trim()).filter((c) => c !== ''),
      activeMinutes: Number(value('f-activeMinutes').trim() || NaN),
      minTokens: Number(value('f-minTokens').trim() || NaN),
    });
    return parsed.success ? parsed.data : null;
  }

  /** The offending line with a ^ under the error column (columns count the whole trimmed expression). */
  private showCaret(expression: string, column: number | null): void {
    this.caret.hidden = column === null;
    if (column === null) {
      this.caret.textContent = '';
      return;
    }
    const at = column - 1;
    const lineStart = expression.lastIndexOf('\n', at - 1) + 1;
    const lineEnd = expression.indexOf('\n', at);
    let line = expression.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
    let offset = at - lineStart;
    if (offset > CARET_CONTEXT) {
      line = `…${line.slice(offset - CARET_CONTEXT)}`;
      offset = CARET_CONTEXT + 1;
    }
    this.caret.textContent = `${line}\n${' '.repeat(offset)}^ column ${column}`;
  }
}
