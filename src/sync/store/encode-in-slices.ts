import { yieldToLoop } from '../yield-to-loop.js';

/** Past this many items a list is encoded in slices of this size, with an event-loop turn between slices. */
export const ITEMS_PER_TURN = 1_000;

/**
 * `JSON.stringify(value)` of a plain object, byte for byte, built one slice of its long lists at a time: a
 * 10k-session booking (~12 MB) or snapshot is one ~40 ms stretch otherwise, and the event loop must keep turning
 * (docs/bench.md). Small objects are encoded in one go.
 */
export async function encodeInSlices(value: object, itemsPerTurn = ITEMS_PER_TURN): Promise<string> {
  const parts: string[] = [];
  for (const [key, field] of Object.entries(value)) {
    if (Array.isArray(field) && field.length > itemsPerTurn) {
      const items: string[] = [];
      for (let i = 0; i < field.length; i += 1) {
        if (i > 0 && i % itemsPerTurn === 0) await yieldToLoop();
        items.push(JSON.stringify(field[i]) ?? 'null');
      }
      parts.push(`${JSON.stringify(key)}:[${items.join(',')}]`);
      continue;
    }
    const encoded = JSON.stringify(field);
    if (encoded !== undefined) parts.push(`${JSON.stringify(key)}:${encoded}`);
  }
  return `{${parts.join(',')}}`;
}
