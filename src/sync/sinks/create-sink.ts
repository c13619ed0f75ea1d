import type { Logger } from '../ports.js';
import { createAgentWatchSink } from './agentwatch-sink.js';
import type { HttpEndpoint } from './http.js';
import { createJsonlSink } from './jsonl-sink.js';
import { createOtlpSink } from './otlp-sink.js';
import { createSeedSink } from './seed-sink.js';
import type { Sink } from './sink.js';

export type ConcreteSinkKind = 'agentwatch' | 'seed' | 'jsonl' | 'otlp';

/** The HTTP endpoint is AgentWatch's (agentwatch and seed sinks); the otlp sink takes only its timeout and cap. */
export interface CreateSinkOptions extends HttpEndpoint {
  /** agentwatch sink: scopes the agent mapping to one gateway. */
  gatewayId: string;
  /** agentwatch, seed and jsonl sinks: appended to agent names (` @ vps`) of a gateway added later. */
  agentSuffix?: string;
  /** jsonl sink: a file path or '-' for stdout. */
  jsonlPath: string;
  stdout?: NodeJS.WritableStream;
  /** otlp sink: the collector base URL (never sent the AgentWatch API key). */
  otlpUrl?: string;
  /** otlp sink: partial-success reports. */
  log?: Logger;
  /** otlp sink: the resource's service.version. */
  serviceVersion?: string;
}

export function createSink(kind: ConcreteSinkKind, options: CreateSinkOptions): Sink {
  const http = {
    baseUrl: options.baseUrl,
    timeoutMs: options.timeoutMs,
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    ...(options.maxResponseBytes ? { maxResponseBytes: options.maxResponseBytes } : {}),
    ...(options.deadline ? { deadline: options.deadline } : {}),
  };
  switch (kind) {
    case 'agentwatch':
      return createAgentWatchSink({ ...http, gatewayId: options.gatewayId, ...(options.agentSuffix ? { agentSuffix: options.agentSuffix } : {}) });
    case 'seed':
      return createSeedSink({ ...http, ...(options.agentSuffix ? { agentSuffix: options.agentSuffix } : {}) });
    case 'jsonl':
      return createJsonlSink({ path: options.jsonlPath, ...(options.stdout ? { stdout: options.stdout } : {}), ...(options.agentSuffix ? { agentSuffix: options.agentSuffix } : {}) });
    case 'otlp':
      return createOtlpSink({
        baseUrl: options.otlpUrl ?? 'http://127.0.0.1:4318',
        timeoutMs: options.timeoutMs,
        ...(options.maxResponseBytes ? { maxResponseBytes: options.maxResponseBytes } : {}),
        ...(options.log ? { log: options.log } : {}),
        ...(options.serviceVersion ? { serviceVersion: options.serviceVersion } : {}),
      });
  }
}
