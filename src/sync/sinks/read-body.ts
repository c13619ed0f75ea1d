type Body = AsyncIterable<Buffer> & { destroy(error?: Error): unknown };

/**
 * Reads a response body up to `cap` bytes; past it the stream is destroyed, so a huge answer never fills memory.
 * A body cut at the cap keeps its first `cap` bytes: enough for a one-line reason, never parsed as the answer.
 */
export async function readCapped(body: Body, cap: number): Promise<{ bytes: Buffer; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > cap) {
      body.destroy();
      chunks.push(chunk.subarray(0, chunk.length - (size - cap)));
      return { bytes: Buffer.concat(chunks), tooLarge: true };
    }
    chunks.push(chunk);
  }
  return { bytes: Buffer.concat(chunks), tooLarge: false };
}

export function parseJson(bytes: Buffer | null): { ok: true; value: unknown } | { ok: false } {
  if (!bytes || bytes.length === 0) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(bytes.toString('utf8')) };
  } catch {
    return { ok: false };
  }
}
