// The popup's one channel to the worker: a typed request, an answer or a refusal with a stable code.
import type { Answer, PopupRequest } from "../shared/messages.ts";

export class WorkerError extends Error {
  readonly code: string;
  constructor(code: string, text: string) {
    super(text);
    this.code = code;
  }
}

export async function ask<T>(req: PopupRequest): Promise<T> {
  const a = (await chrome.runtime.sendMessage(req)) as Answer<T> | undefined;
  if (!a) throw new WorkerError("no_answer", "The extension did not answer. Close and reopen the popup.");
  if (!a.ok) throw new WorkerError(a.code, a.text);
  return a.value;
}

/** The tab the popup acts on: the window's active tab (a test opening the popup as a tab passes ?tab=). */
export async function targetTab(): Promise<number | undefined> {
  const given = Number(new URLSearchParams(location.search).get("tab"));
  if (Number.isSafeInteger(given) && given > 0) return given;
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  return tab?.id;
}
