import { join } from 'node:path';
import { SyncError } from '../errors.js';
import type { Logger } from '../ports.js';
import { parseJournal } from './journal.js';
import { damagedSnapshotError, stateOpenError } from './disk-errors.js';
import type { DurableFs } from './durable-fs.js';
import { StateModel } from './model.js';
import { SnapshotSchema, validateRecord, type Snapshot } from './records.js';

export const snapshotPath = (dir: string): string => join(dir, 'state.json');
export const journalPath = (dir: string, generation: number): string => join(dir, `journal-${generation}.log`);
export const deadLetterPath = (dir: string): string => join(dir, 'dead-letter.jsonl');

export interface LoadedState {
  model: StateModel;
  /** Chooses the journal: records in journals of other generations are already in (or older than) the snapshot. */
  generation: number;
  journalBytes: number;
  tornTail: boolean;
}

function parseSnapshot(text: string, file: string): Snapshot {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw damagedSnapshotError(file, e instanceof Error ? e.message : String(e));
  }
  const version = typeof value === 'object' && value !== null ? (value as { version?: unknown }).version : undefined;
  if (typeof version === 'number' && version > 1) {
    throw new SyncError(
      'STATE',
      `The sync state file ${file} was written by a newer AgentWatch Sync (format ${version}). Update this app, ` +
        'or choose another --state-dir.',
      { retryable: false, details: { file } },
    );
  }
  const result = SnapshotSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw damagedSnapshotError(file, issue ? `${issue.path.join('.') || 'file'}: ${issue.message}` : 'invalid');
  }
  return result.data;
}

async function read(fs: DurableFs, dir: string, file: string): Promise<string | undefined> {
  try {
    return await fs.readText(file);
  } catch (e) {
    throw stateOpenError(dir, e);
  }
}

/** The snapshot plus every complete record of its generation's journal, replayed in order. */
export async function loadState(fs: DurableFs, dir: string, log: Logger): Promise<LoadedState> {
  const file = snapshotPath(dir);
  const text = await read(fs, dir, file);
  const snapshot = text === undefined ? undefined : parseSnapshot(text, file);
  const model = snapshot ? StateModel.fromSnapshot(snapshot) : new StateModel();
  const generation = snapshot?.generation ?? 0;

  const journal = journalPath(dir, generation);
  const journalText = (await read(fs, dir, journal)) ?? '';
  const { records, tornTail } = parseJournal(journalText, journal, validateRecord);
  for (const record of records) model.apply(record);
  if (tornTail) {
    log.warn(
      `The sync journal ${journal} ends in an unfinished write (a crash or a full disk): only complete records ` +
        'were loaded, and the next write starts a clean journal.',
    );
  }
  return { model, generation, journalBytes: Buffer.byteLength(journalText), tornTail };
}
