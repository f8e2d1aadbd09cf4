// When a device may remove an attachment blob it published to a folder or WebDAV (docs/sync.md "Attachments":
// garbage collection). Without a server nobody can say "the deletion has synced", so each device's manifest
// acknowledges how far it has read every other device's log, and the rule is:
//
//   a blob goes only when no current item (conflict copies and trash included) records it, this device read
//   every file it was told of (nothing missing, in transit or rolled back), and every other device known here has
//   acknowledged everything this device had read or written when it first found the blob unreferenced —
//   recorded on an earlier sync than the one that removes it.
//
// A device that had not yet seen the removal has, by then, seen it; an edit it made concurrently (an edit beats
// a delete) reached this device with its acknowledgement, brings the record back, and cancels the removal.
// Pure: the caller lists, syncs and deletes.

/** How far a device has read each device: device id → highest seq read (own: last seq published). */
export type Frontier = ReadonlyMap<string, number>;

export interface CollectInput {
  /** the attachment ids of the blob files this device wrote */
  readonly owned: readonly string[];
  /** every attachment id a current item or conflict copy records */
  readonly referenced: ReadonlySet<string>;
  /** blobs found unreferenced on an earlier sync, with this device's frontier then */
  readonly waiting: ReadonlyMap<string, Frontier>;
  /** this device's frontier now */
  readonly frontier: Frontier;
  /** the other devices of the account this device knows of */
  readonly devices: readonly string[];
  /** per other device, what its newest manifest acknowledges */
  readonly acks: ReadonlyMap<string, Frontier>;
  /** this sync read everything it was told of: nothing missing, unavailable or rolled back */
  readonly clean: boolean;
}

export interface CollectPlan {
  /** attachment ids whose blob file can go now */
  readonly remove: string[];
  /** what to remember for the next sync */
  readonly waiting: Map<string, Frontier>;
}

/** Every other device has read at least `f` of every device but itself. */
export function acknowledgedByAll(f: Frontier, devices: readonly string[], acks: ReadonlyMap<string, Frontier>): boolean {
  return devices.every((d) => [...f].every(([e, s]) => e === d || s <= 0 || (acks.get(d)?.get(e) ?? 0) >= s));
}

export function planCollection(i: CollectInput): CollectPlan {
  const remove: string[] = [];
  const waiting = new Map<string, Frontier>();
  for (const id of i.owned) {
    if (i.referenced.has(id)) continue; // recorded again (or still): nothing waits
    const since = i.waiting.get(id);
    if (!i.clean) {
      // a partial view proves nothing: keep what was known, start nothing new
      if (since) waiting.set(id, since);
      continue;
    }
    if (since && acknowledgedByAll(since, i.devices, i.acks)) remove.push(id);
    else waiting.set(id, since ?? new Map(i.frontier));
  }
  return { remove, waiting };
}
