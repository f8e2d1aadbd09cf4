// The version graph a device has read from a log target, per item: its heads (versions nobody replaced)
// and every tag it has seen. Adding versions in any order gives the same heads, which is what lets
// devices converge without a shared clock or a lock; a version seen again (a duplicated or replayed
// file) changes nothing.
import { toHex } from "../../encoding/bytes.ts";
import type { ItemId } from "../../keys/ids.ts";
import type { Opened } from "../tombstone.ts";
import type { LogVersion } from "./segment.ts";

export interface HeadVersion {
  readonly version: LogVersion;
  readonly tag: Uint8Array;
  readonly opened: Opened;
}

interface ItemGraph {
  readonly heads: Map<string, HeadVersion>;
  /** every tag seen for this item, heads included */
  readonly known: Map<string, Uint8Array>;
}

export class VersionGraph {
  private readonly items = new Map<ItemId, ItemGraph>();

  private graph(id: ItemId): ItemGraph {
    let g = this.items.get(id);
    if (!g) {
      g = { heads: new Map(), known: new Map() };
      this.items.set(id, g);
    }
    return g;
  }

  has(id: ItemId): boolean {
    return this.items.has(id);
  }

  knows(id: ItemId, tag: Uint8Array): boolean {
    return this.items.get(id)?.known.has(toHex(tag)) ?? false;
  }

  /** Adds one version; false when it was already known (nothing changed). */
  add(v: HeadVersion): boolean {
    const g = this.graph(v.version.id);
    const key = toHex(v.tag);
    const fresh = !g.known.has(key);
    for (const b of v.version.bases) this.supersede(g, b);
    if (fresh) {
      g.known.set(key, v.tag);
      g.heads.set(key, v);
    }
    return fresh;
  }

  /** Puts back a head saved earlier (its tag is already known, as a saved graph lists it). */
  restoreHead(v: HeadVersion): void {
    const g = this.graph(v.version.id);
    const key = toHex(v.tag);
    g.known.set(key, v.tag);
    g.heads.set(key, v);
  }

  /** Marks tags as replaced (a snapshot's record of versions compacted away). */
  supersedeAll(id: ItemId, tags: readonly Uint8Array[]): void {
    const g = this.graph(id);
    for (const t of tags) this.supersede(g, t);
  }

  private supersede(g: ItemGraph, tag: Uint8Array): void {
    const k = toHex(tag);
    g.heads.delete(k);
    if (!g.known.has(k)) g.known.set(k, tag);
  }

  heads(id: ItemId): HeadVersion[] {
    return [...(this.items.get(id)?.heads.values() ?? [])];
  }

  /** Tags seen that are no longer heads: what a snapshot must carry so compacted versions stay replaced. */
  superseded(id: ItemId): Uint8Array[] {
    const g = this.items.get(id);
    if (!g) return [];
    return [...g.known].filter(([k]) => !g.heads.has(k)).map(([, t]) => t);
  }

  /** Every tag seen for an item, heads included (for saving the graph). */
  known(id: ItemId): Uint8Array[] {
    return [...(this.items.get(id)?.known.values() ?? [])];
  }

  ids(): ItemId[] {
    return [...this.items.keys()];
  }
}
