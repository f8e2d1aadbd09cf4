// The keyboard shortcuts of the vault screen, and the help dialog that lists them (opened with "?").
import { useEffect, useRef } from "preact/hooks";

export const SHORTCUTS: readonly (readonly [keys: string, what: string])[] = [
  ["/", "Search"],
  ["n", "New item"],
  ["e", "Edit the open item"],
  ["c", "Copy the open item's password"],
  ["u", "Copy the open item's username"],
  ["Esc", "Close a dialog, cancel a form, go back to the list"],
  ["Enter", "Save a form, open the focused item"],
  ["Ctrl+L / ⌘+L", "Lock"],
  ["?", "This list"],
];

export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current!;
    d.showModal();
    return () => d.open && d.close();
  }, []);
  return (
    <dialog ref={dialog} class="dialog" aria-labelledby="kb-title" onClose={onClose}>
      <h2 id="kb-title">Keyboard shortcuts</h2>
      <dl class="shortcuts">
        {SHORTCUTS.map(([keys, what]) => (
          <div key={keys}>
            <dt>
              <kbd>{keys}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <form method="dialog">
        <button type="submit" class="primary">
          Close
        </button>
      </form>
    </dialog>
  );
}
