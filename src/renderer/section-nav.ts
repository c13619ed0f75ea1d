import { byId } from './dom.js';

// The sidebar: one button per section of the scrolling pane. A click brings the section to the top and moves focus
// there, so Tab continues inside it; the button of the section being read carries aria-current. offsetTop is measured
// from the pane itself (it is position: relative in styles.css).

// The pane's top padding, kept above a section brought to the top so its card does not touch the header.
const SECTION_GAP = 12;

export class SectionNav {
  private readonly pane: HTMLElement;
  private readonly buttons: HTMLButtonElement[];

  constructor(private readonly doc: Document) {
    this.pane = byId(doc, 'sections');
    this.buttons = [...byId(doc, 'section-nav').querySelectorAll<HTMLButtonElement>('button[data-section]')];
    for (const button of this.buttons) {
      const section = this.section(button);
      section.tabIndex = -1;
      button.setAttribute('aria-controls', section.id);
      button.addEventListener('click', () => this.show(section));
    }
    this.pane.addEventListener('scroll', () => this.markCurrent(), { passive: true });
    this.markCurrent();
  }

  show(section: HTMLElement): void {
    this.pane.scrollTo({ top: section.offsetTop - SECTION_GAP });
    section.focus({ preventScroll: true });
    this.markCurrent();
  }

  /** The section whose top has passed the upper third of the pane; the last one once the pane is scrolled to its end. */
  private markCurrent(): void {
    const top = this.pane.scrollTop;
    const atEnd = top + this.pane.clientHeight >= this.pane.scrollHeight - 2;
    let current = this.buttons[0];
    for (const button of this.buttons) {
      if (this.section(button).offsetTop <= top + this.pane.clientHeight / 3) current = button;
    }
    if (atEnd && top > 0) current = this.buttons.at(-1);
    for (const button of this.buttons) {
      if (button === current) button.setAttribute('aria-current', 'true');
      else button.removeAttribute('aria-current');
    }
  }

  private section(button: HTMLButtonElement): HTMLElement {
    return byId(this.doc, button.dataset['section'] ?? '');
  }
}
