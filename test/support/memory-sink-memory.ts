import type { SinkMemory } from '../../src/sync/sinks/sink.js';

/** In-memory SinkMemory; `failNextSets(n)` makes the next n writes throw, like a crash before the value is durable. */
export class MemorySinkMemory implements SinkMemory {
  readonly values = new Map<string, string>();
  private failures = 0;

  get(key: string): string | undefined {
    return this.values.get(key);
  }

  async set(key: string, value: string): Promise<void> {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error(`simulated crash before ${key} was written`);
    }
    this.values.set(key, value);
  }

  failNextSets(n = 1): void {
    this.failures = n;
  }
}
