import { contextBridge, ipcRenderer } from 'electron';
import {
  STATUS_PUSH_CHANNEL,
  rendererChannels as ch,
  type InvokeChannel,
  type InvokeRequest,
  type InvokeResponse,
  type IpcResult,
} from '../shared/ipc-contract.js';
import { RENDERER_API_KEY, type RendererApi } from '../shared/renderer-api.js';
import type { SyncStatus } from '../shared/sync-status.js';

// Sandboxed preload: the page gets these named functions only, never ipcRenderer or an IPC event object.

function call<C extends InvokeChannel>(channel: C, payload: InvokeRequest<C>): Promise<IpcResult<InvokeResponse<C>>> {
  return ipcRenderer.invoke(channel, payload) as Promise<IpcResult<InvokeResponse<C>>>;
}

const api: RendererApi = {
  getSettings: () => call(ch.getSettings, undefined),
  saveSettings: (input) => call(ch.saveSettings, input),
  getStatus: () => call(ch.getStatus, undefined),
  pause: () => call(ch.pause, undefined),
  resume: () => call(ch.resume, undefined),
  runOnce: () => call(ch.runOnce, undefined),
  testGateway: (input) => call(ch.testGateway, input),
  testAgentWatch: (input) => call(ch.testAgentWatch, input),
  testAlert: (input) => call(ch.testAlert, input),
  copyDiagnostics: () => call(ch.copyDiagnostics, undefined),
  usageByHour: (hours) => call(ch.usageByHour, { hours }),
  previewFilter: (expression) => call(ch.previewFilter, { expression }),
  about: () => call(ch.about, undefined),
  openAboutTarget: (target) => call(ch.openAboutTarget, { target }),
  onStatus: (listener) => {
    const forward = (_event: unknown, status: SyncStatus): void => listener(status);
    ipcRenderer.on(STATUS_PUSH_CHANNEL, forward);
    return () => {
      ipcRenderer.off(STATUS_PUSH_CHANNEL, forward);
    };
  },
};

contextBridge.exposeInMainWorld(RENDERER_API_KEY, api);
