export type SimFaultKind = 'status' | 'refuse-reset' | 'hang' | 'accept-then-hang' | 'garbage';

export interface SimFault {
  status?: number;
  retryAfterSec?: number;
  /** How many matching requests the fault hits (default 1). */
  times?: number;
  /** Only requests whose path starts with this. */
  path?: string;
  /** Only requests with this method (e.g. 'POST'). */
  method?: string;
  kind?: SimFaultKind;
}

interface Queued {
  kind: SimFaultKind;
  status: number;
  retryAfterSec: number | undefined;
  path: string | undefined;
  method: string | undefined;
  left: number;
}

export interface ActiveFault {
  kind: SimFaultKind;
  status: number;
  retryAfterSec: number | undefined;
}

/** Faults queued by a test, handed out first-come to the requests they match. */
export class FaultQueue {
  private readonly queue: Queued[] = [];

  add(fault: SimFault): void {
    this.queue.push({
      kind: fault.kind ?? 'status',
      status: fault.status ?? 503,
      retryAfterSec: fault.retryAfterSec,
      path: fault.path,
      method: fault.method?.toUpperCase(),
      left: fault.times ?? 1,
    });
  }

  take(method: string, path: string): ActiveFault | undefined {
    const i = this.queue.findIndex((f) => (f.path === undefined || path.startsWith(f.path)) && (f.method === undefined || f.method === method));
    const f = this.queue[i];
    if (!f) return undefined;
    f.left -= 1;
    if (f.left <= 0) this.queue.splice(i, 1);
    return { kind: f.kind, status: f.status, retryAfterSec: f.retryAfterSec };
  }
}
