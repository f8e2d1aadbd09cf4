// The vault's list pane (count, notices, the virtualised rows, the filter menu on narrow screens) and the
// filter sidebar. The selected row is marked for sight (bar, colour, weight) and for screen readers.
import type { IndexEntry } from "@cryptex/core/formats/vault-index.ts";
import type { FolderNode } from "@cryptex/core/vault/folders.ts";
import { TEMPLATES, template } from "@cryptex/core/vault/templates.ts";
import { FolderList } from "../ui/folder-list.tsx";
import { VirtualList } from "../ui/virtual-list.tsx";
import type { Filter } from "../vault/filters.ts";

export const filterKey = (f: Filter) =>
  f.kind === "type" ? `type:${f.type}` : f.kind === "tag" ? `tag:${f.tag}` : f.kind === "folder" ? `folder:${f.folder}` : f.kind;
const parseFilter = (k: string): Filter =>
  k.startsWith("type:")
    ? { kind: "type", type: k.slice(5) }
    : k.startsWith("tag:")
      ? { kind: "tag", tag: k.slice(4) }
      : k.startsWith("folder:")
        ? { kind: "folder", folder: k.slice(7) }
        : { kind: k as "all" | "favorites" | "trash" };

const filterLabel = (filter: Filter) =>
  filter.kind === "type"
    ? (template(filter.type as never)?.label ?? filter.type)
    : filter.kind === "tag"
      ? `#${filter.tag}`
      : filter.kind === "folder"
        ? filter.folder
        : { all: "All items", favorites: "Favourites", trash: "Trash" }[filter.kind];

export function ItemList(props: {
  entries: readonly (IndexEntry | undefined)[];
  filter: Filter;
  onFilter: (f: Filter) => void;
  tags: readonly string[];
  folders: readonly FolderNode[];
  query: string;
  selectedId: string | undefined;
  onOpen: (id: string) => void;
  conflicts: number;
  quarantined: number;
  error: string;
}) {
  const { entries, filter, tags, folders, query, selectedId } = props;
  const count = entries.length;
  return (
    <section class="list-pane" aria-labelledby="list-title">
      <div class="list-head">
        <h2 id="list-title" class="sr-only">
          Items
        </h2>
        <label for="filter-select" class="narrow-only">
          Show
        </label>
        <select
          id="filter-select"
          class="narrow-only"
          value={filterKey(filter)}
          onChange={(e) => props.onFilter(parseFilter(e.currentTarget.value))}
        >
          <option value="all">All items</option>
          <option value="favorites">Favourites</option>
          {TEMPLATES.map((t) => (
            <option key={t.type} value={`type:${t.type}`}>
              {t.label}
            </option>
          ))}
          {folders.slice(0, 200).map((f) => (
            <option key={f.path} value={`folder:${f.path}`}>
              {f.path} ({f.total})
            </option>
          ))}
          {tags.slice(0, 200).map((t) => (
            <option key={t} value={`tag:${t}`}>
              #{t}
            </option>
          ))}
          <option value="trash">Trash</option>
        </select>
        <span class="muted" aria-live="polite">
          {filterLabel(filter)}: {count.toLocaleString()} {count === 1 ? "item" : "items"}
        </span>
      </div>
      {props.conflicts > 0 && (
        <p class="note" role="status">
          {props.conflicts} conflicting edit(s) were kept as “conflict copy” items: review and delete the one you do not need.
        </p>
      )}
      {props.quarantined > 0 && (
        <p class="error" role="alert">
          {props.quarantined} item(s) from the server failed verification and were not shown.
        </p>
      )}
      {props.error && (
        <p class="error" role="alert">
          {props.error}
        </p>
      )}
      {count === 0 ? (
        <p class="empty">
          {query
            ? "No items match your search."
            : filter.kind === "trash"
              ? "The trash is empty."
              : "No items yet. Use “Add item” to save your first password."}
        </p>
      ) : (
        <VirtualList<IndexEntry>
          items={entries}
          rowHeight={56}
          label="Items"
          renderRow={(e) => (
            <button
              type="button"
              data-id={e.id}
              class={`row-button ${selectedId === e.id ? "selected" : ""}`}
              aria-current={selectedId === e.id ? "true" : undefined}
              onClick={() => props.onOpen(e.id)}
            >
              <span class={`type-badge t-${e.type}`} aria-hidden="true">
                {template(e.type).label.slice(0, 1)}
              </span>
              <span class="row-text">
                <span class="row-title">
                  {e.favorite ? "★ " : ""}
                  {e.title || "(untitled)"}
                </span>
                <span class="row-sub">
                  {e.conflictOf
                    ? "Conflict copy — the other version of an item edited on two devices"
                    : e.subtitle || template(e.type).label}
                </span>
              </span>
            </button>
          )}
        />
      )}
    </section>
  );
}

/** The filters; `onSecurity` adds the Security page (password health) below them, `securityOpen` marks it current. */
export function FilterNav({
  filter,
  onFilter,
  tags,
  folders,
  onSecurity,
  securityOpen = false,
}: {
  filter: Filter;
  onFilter: (f: Filter) => void;
  tags: readonly string[];
  folders: readonly FolderNode[];
  onSecurity?: () => void;
  securityOpen?: boolean;
}) {
  const button = (f: Filter, label: string) => (
    <li key={filterKey(f)}>
      <button
        type="button"
        class={`nav-item ${filterKey(f) === filterKey(filter) ? "active" : ""}`}
        aria-current={filterKey(f) === filterKey(filter) ? "true" : undefined}
        onClick={() => onFilter(f)}
      >
        {label}
      </button>
    </li>
  );
  return (
    <nav class="sidebar" aria-label="Filters">
      <ul>
        {button({ kind: "all" }, "All items")}
        {button({ kind: "favorites" }, "Favourites")}
      </ul>
      <h2 class="side-head">Types</h2>
      <ul>{TEMPLATES.map((t) => button({ kind: "type", type: t.type }, t.label))}</ul>
      <FolderList
        tree={folders}
        active={filter.kind === "folder" ? filter.folder : undefined}
        onSelect={(folder) => onFilter({ kind: "folder", folder })}
      />
      {tags.length > 0 && <h2 class="side-head">Tags</h2>}
      <ul>{tags.slice(0, 200).map((t) => button({ kind: "tag", tag: t }, `#${t}`))}</ul>
      <ul>{button({ kind: "trash" }, "Trash")}</ul>
      {onSecurity && (
        <ul>
          <li>
            <button
              type="button"
              class={`nav-item ${securityOpen ? "active" : ""}`}
              aria-current={securityOpen ? "page" : undefined}
              onClick={onSecurity}
            >
              Security
            </button>
          </li>
        </ul>
      )}
    </nav>
  );
}
