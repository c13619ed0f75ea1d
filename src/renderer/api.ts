import type { IpcResult } from '../shared/ipc-contract.js';
import { RENDERER_API_KEY, type RendererApi } from '../shared/renderer-api.js';
import { errorText } from './dom.js';

/** The preload's API; absent means the window was loaded without it. */
export function getApi(win: Window): RendererApi {
  const api = (win as unknown as Record<string, RendererApi | undefined>)[RENDERER_API_KEY];
  if (!api) throw new Error('The settings window opened without its preload. Quit and restart AgentWatch Sync.');
  return api;
}

/** Resolves to the value, or throws main's message (already actionable) as an Error. */
export async function unwrap<T>(pending: Promise<IpcResult<T>>): Promise<T> {
  let result: IpcResult<T>;
  try {
    result = await pending;
  } catch (error) {
    throw new Error(`The app did not answer (${errorText(error)}). Quit and restart AgentWatch Sync.`, { cause: error });
  }
  if (!result.ok) throw new Error(result.error);
  return result.value;
}
