// Which vault shortcut a key press is (listed to the user by ui/shortcuts-dialog.tsx). Letters act only when no
// text field has the focus and no dialog is open; Escape and Ctrl/Cmd+L act everywhere but in a dialog.
export type Shortcut = "lock" | "escape" | "search" | "new" | "edit" | "copy-password" | "copy-username" | "help";

export interface KeyPress {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
  readonly shiftKey: boolean;
  /** the focus is in a text field (input, textarea, select, contenteditable) */
  readonly typing: boolean;
  /** a modal dialog is open: it handles its own keys (Escape closes it) */
  readonly dialogOpen: boolean;
}

const LETTERS: Record<string, Shortcut> = {
  "/": "search",
  n: "new",
  e: "edit",
  c: "copy-password",
  u: "copy-username",
  "?": "help",
};

export function shortcutOf(k: KeyPress): Shortcut | undefined {
  if (k.dialogOpen) return undefined;
  if ((k.ctrlKey || k.metaKey) && !k.altKey && !k.shiftKey && k.key.toLowerCase() === "l") return "lock";
  if (k.key === "Escape") return "escape";
  if (k.ctrlKey || k.metaKey || k.altKey || k.typing) return undefined;
  return LETTERS[k.key];
}

/** Whether an element takes typed text (so letter keys belong to it). */
export function isTextField(t: EventTarget | null): boolean {
  if (typeof HTMLElement === "undefined" || !(t instanceof HTMLElement)) return false;
  if (t.isContentEditable || t.tagName === "TEXTAREA" || t.tagName === "SELECT") return true;
  return t.tagName === "INPUT" && !["checkbox", "radio", "button", "submit", "reset"].includes((t as HTMLInputElement).type);
}
