// Folders are paths on items ("Work/Dev"), not objects of their own: a folder exists while an item is in
// it or below it, so folders sync and merge like any other item field. This module derives the tree.
import { normaliseFolder } from "./item.ts";

export interface FolderNode {
  readonly path: string;
  readonly name: string;
  readonly depth: number;
  /** items directly in this folder */
  readonly items: number;
  /** items in this folder and every folder below it */
  readonly total: number;
}

/** Every folder with its counts, parents before children, sorted by path; trashed items do not count. */
export function folderTree(entries: Iterable<{ readonly folder?: string | undefined; readonly trashed: boolean }>): FolderNode[] {
  const direct = new Map<string, number>();
  const total = new Map<string, number>();
  for (const e of entries) {
    if (e.trashed || !e.folder) continue;
    direct.set(e.folder, (direct.get(e.folder) ?? 0) + 1);
    const parts = e.folder.split("/");
    for (let i = 1; i <= parts.length; i++) {
      const p = parts.slice(0, i).join("/");
      total.set(p, (total.get(p) ?? 0) + 1);
    }
  }
  return [...total.keys()]
    .sort((a, b) => a.split("/").join("\u0000").localeCompare(b.split("/").join("\u0000")))
    .map((path) => {
      const parts = path.split("/");
      return { path, name: parts[parts.length - 1]!, depth: parts.length - 1, items: direct.get(path) ?? 0, total: total.get(path)! };
    });
}

/** True when `itemFolder` is `folder` or below it (case-sensitive, as paths are). */
export function isInFolder(itemFolder: string | undefined, folder: string): boolean {
  const f = normaliseFolder(folder);
  if (!f) return !itemFolder;
  return itemFolder === f || (itemFolder?.startsWith(`${f}/`) ?? false);
}
