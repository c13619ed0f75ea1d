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
      // Whole slices through JSON.stringify: one call per item is ~3× slower than one per array.
      const slices: string[] = [];
      for (let i = 0; i < field.length; i += itemsPerTurn) {
        if (i > 0) await yieldToLoop();
        slices.push(JSON.stringify(field.slice(i, i + itemsPerTurn)).slice(1, -1));
      }
      parts.push(`${JSON.stringify(key)}:[${slices.join(',')}]`);
      continue;
    }
    const encoded = JSON.stringify(field);
    if (encoded !== undefined) parts.push(`${JSON.stringify(key)}:${encoded}`);
  }
  return `{${parts.join(',')}}`;
}
