// Copy to the clipboard and clear it again after 30 s, unless something else was copied meanwhile.
const CLEAR_AFTER_MS = 30_000;
let timer: ReturnType<typeof setTimeout> | undefined;

export async function copySecret(text: string): Promise<void> {
  await navigator.clipboard.writeText(text);
  if (timer) clearTimeout(timer);
  timer = setTimeout(async () => {
    timer = undefined;
    try {
      const now = await navigator.clipboard.readText().catch(() => text);
      if (now === text) await navigator.clipboard.writeText("");
    } catch {
      // the page lost focus: the browser refuses clipboard access; nothing more can be done
    }
  }, CLEAR_AFTER_MS);
}
