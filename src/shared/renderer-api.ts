import type { IpcResult, InvokeRequest, InvokeResponse, SettingsSaveInput } from './ipc-contract.js';
import type { FilterPreview, SyncStatus } from './sync-status.js';

/** Exposed by the preload as `window.agentwatch`; renderer tests inject a fake with the same shape. */
export interface RendererApi {
  getSettings(): Promise<IpcResult<InvokeResponse<'settings:get'>>>;
  saveSettings(input: SettingsSaveInput): Promise<IpcResult<InvokeResponse<'settings:save'>>>;
  getStatus(): Promise<IpcResult<SyncStatus>>;
  pause(): Promise<IpcResult<SyncStatus>>;
  resume(): Promise<IpcResult<SyncStatus>>;
  runOnce(): Promise<IpcResult<InvokeResponse<'sync:run-once'>>>;
  testGateway(input: { openclawUrl: string; token?: string }): Promise<IpcResult<InvokeResponse<'connection:test-gateway'>>>;
  testAgentWatch(input: { agentwatchUrl: string; apiKey?: string }): Promise<IpcResult<InvokeResponse<'connection:test-agentwatch'>>>;
  testAlert(input: InvokeRequest<'alerts:test'>): Promise<IpcResult<InvokeResponse<'alerts:test'>>>;
  copyDiagnostics(): Promise<IpcResult<InvokeResponse<'diagnostics:copy'>>>;
  usageByHour(hours: number): Promise<IpcResult<InvokeResponse<'usage:hourly'>>>;
  /** Judges the last poll's sessions with `expression` (max 2000 chars); saves nothing. */
  previewFilter(expression: string): Promise<IpcResult<FilterPreview>>;
  about(): Promise<IpcResult<InvokeResponse<'app:about'>>>;
  /** Opens the state folder, the log file (the OS's default app) or the project page (the browser). */
  openAboutTarget(target: InvokeRequest<'app:open'>['target']): Promise<IpcResult<InvokeResponse<'app:open'>>>;
  /** Returns unsubscribe. */
  onStatus(listener: (status: SyncStatus) => void): () => void;
}

export const RENDERER_API_KEY = 'agentwatch';
