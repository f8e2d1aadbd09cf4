// The sidebar's folder tree: every folder with the number of items in it and below it; choosing one
// filters the list to that subtree. Folders are paths on items (core vault/folders.ts).
import type { FolderNode } from "@cryptex/core/vault/folders.ts";

type Props = {
  /** core's folderTree of the entries (empty while a long list's first screen is shown) */
  tree: readonly FolderNode[];
  active: string | undefined;
  onSelect: (folder: string) => void;
};

export function FolderList({ tree, active, onSelect }: Props) {
  if (tree.length === 0) return null;
  return (
    <>
      <h2 id="folders-head" class="side-head">
        Folders
      </h2>
      <ul aria-labelledby="folders-head" class="folder-list">
        {tree.slice(0, 500).map((f) => (
          <li key={f.path}>
            <button
              type="button"
              class={`nav-item ${active === f.path ? "active" : ""}`}
              aria-current={active === f.path ? "true" : undefined}
              style={{ paddingInlineStart: `${0.5 + f.depth}em` }}
              title={f.path}
              onClick={() => onSelect(f.path)}
            >
              {f.name} <span class="muted">{f.total}</span>
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
