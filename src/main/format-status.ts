/** `12,345`: fixed grouping so the tooltip reads the same on every OS locale. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** `2 min ago` / `45 s ago`: for the status line next to the absolute time. */
export function formatAgo(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s ago`;
  const m = Math.round(s / 60);
  return m < 120 ? `${m} min ago` : `${Math.round(m / 60)} h ago`;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

// Cuts at the last word boundary that fits, so a label never ends mid-word ("Start t…"); a single
// overlong word still falls back to a hard cut.
export function truncateAtWord(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const head = flat.slice(0, max - 1);
  const space = head.lastIndexOf(' ');
  const cut = space > max / 3 ? head.slice(0, space) : head;
  return `${cut.replace(/[\s.,;:—-]+$/, '')}…`;
}
