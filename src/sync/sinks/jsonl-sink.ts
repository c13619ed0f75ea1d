import { open } from 'node:fs/promises';
import { toSeedEvent } from './seed-event.js';
import { DeliveryError, type Sink } from './sink.js';

export interface JsonlSinkOptions {
  /** A file to append to, or '-' for stdout. */
  path: string;
  stdout?: NodeJS.WritableStream;
  /** Appended to agent names and ids (` @ vps`) for a gateway added later. */
  agentSuffix?: string;
}

function writeStream(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (error) => (error ? reject(error) : resolve()));
  });
}

async function appendDurably(path: string, text: string): Promise<void> {
  const file = await open(path, 'a');
  try {
    await file.writeFile(text, 'utf8');
    await file.sync();
  } finally {
    await file.close();
  }
}

/** One SeedEvent JSON per line; a batch is on disk (fsync) before `deliver` resolves. */
export function createJsonlSink(options: JsonlSinkOptions): Sink {
  const toStdout = options.path === '-';
  return {
    name: 'jsonl',
    async deliver(batch) {
      if (batch.length === 0) return;
      const text = batch.map((d) => JSON.stringify(toSeedEvent(d, options.agentSuffix)) + '\n').join('');
      try {
        if (toStdout) await writeStream(options.stdout ?? process.stdout, text);
        else await appendDurably(options.path, text);
      } catch (e) {
        const where = toStdout ? 'stdout' : options.path;
        const why = (e as { code?: string }).code ?? (e instanceof Error ? e.message : String(e));
        // Retryable even for a bad path: the batch stays queued until the user fixes it, instead of being dead-lettered.
        throw new DeliveryError('unavailable', `Cannot append to ${where} (${why}) — check the jsonl path (--jsonl / jsonlPath).`, { cause: e });
      }
    },
  };
}
