import { createAgentWatchSink } from './agentwatch-sink.js';
import { createJsonlSink } from './jsonl-sink.js';
import { createSeedSink } from './seed-sink.js';
import type { Sink } from './sink.js';

export type ConcreteSinkKind = 'agentwatch' | 'seed' | 'jsonl';

export interface CreateSinkOptions {
  baseUrl: string;
  apiKey?: string;
  timeoutMs: number;
  maxResponseBytes?: number;
  /** agentwatch sink: scopes the agent mapping to one gateway. */
  gatewayId: string;
  /** jsonl sink: a file path or '-' for stdout. */
  jsonlPath: string;
  stdout?: NodeJS.WritableStream;
}

export function createSink(kind: ConcreteSinkKind, options: CreateSinkOptions): Sink {
  const http = {
    baseUrl: options.baseUrl,
    timeoutMs: options.timeoutMs,
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    ...(options.maxResponseBytes ? { maxResponseBytes: options.maxResponseBytes } : {}),
  };
  switch (kind) {
    case 'agentwatch':
      return createAgentWatchSink({ ...http, gatewayId: options.gatewayId });
    case 'seed':
      return createSeedSink(http);
    case 'jsonl':
      return createJsonlSink({ path: options.jsonlPath, ...(options.stdout ? { stdout: options.stdout } : {}) });
  }
}
