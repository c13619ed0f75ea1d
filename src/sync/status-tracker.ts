import { initialStatus, type SyncStatus } from '../shared/sync-status.js';

/** Holds the one SyncStatus snapshot and tells listeners about every change. */
export class StatusTracker {
  private current: SyncStatus = initialStatus();
  private readonly listeners = new Set<(s: SyncStatus) => void>();

  get(): SyncStatus {
    return this.current;
  }

  update(patch: Partial<SyncStatus> | ((s: SyncStatus) => Partial<SyncStatus>)): void {
    const changes = typeof patch === 'function' ? patch(this.current) : patch;
    this.current = { ...this.current, ...changes };
    for (const listener of this.listeners) {
      try {
        listener(this.current);
      } catch {
        // a broken listener (e.g. a closed window) must not stop the sync
      }
    }
  }

  subscribe(listener: (s: SyncStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
