/** The element with this id, typed by the caller; a missing id is a bug in index.html, so fail loudly. */
export function byId<T extends HTMLElement = HTMLElement>(doc: Document, id: string): T {
  const el = doc.getElementById(id);
  if (!el) throw new Error(`settings window: element #${id} is missing from index.html`);
  return el as T;
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
