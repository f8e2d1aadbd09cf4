// Add and edit forms per template, with custom fields and the generator inside password fields.
import { createItem, editItem, type Field, type Item, itemSize, LIMITS } from "@cryptex/core/vault/item.ts";
import { FIELD_KINDS, type FieldKind, type ItemType, TEMPLATES, template } from "@cryptex/core/vault/templates.ts";
import { useState } from "preact/hooks";
import { Generator } from "../ui/generator.tsx";

interface CustomRow {
  key: number;
  name: string;
  kind: FieldKind;
  value: string;
}

// One type for preact's input typing: the union of literal types does not narrow per element.
// A website is a text input: the browser's URL check would refuse a bare host, which core stores as https://host.
const inputType = (k: FieldKind) => (k === "hidden" ? "password" : k === "email" ? "email" : k === "phone" ? "tel" : "text") as "text";
const inputMode = (k: FieldKind) => (k === "url" ? "url" : undefined);

function TemplateInput({
  id,
  label,
  kind,
  value,
  onInput,
}: {
  id: string;
  label: string;
  kind: FieldKind;
  value: string;
  onInput: (v: string) => void;
}) {
  const [gen, setGen] = useState(false);
  const [shown, setShown] = useState(false);
  return (
    <div class="form-field">
      <label for={id}>{label}</label>
      {kind === "note" ? (
        <textarea id={id} rows={3} value={value} maxLength={LIMITS.fieldValue} onInput={(e) => onInput(e.currentTarget.value)} />
      ) : (
        <div class="row tight">
          <input
            id={id}
            type={kind === "hidden" && shown ? "text" : inputType(kind)}
            inputMode={inputMode(kind)}
            autocomplete="off"
            spellcheck={false}
            value={value}
            maxLength={LIMITS.fieldValue}
            onInput={(e) => onInput(e.currentTarget.value)}
          />
          {kind === "hidden" && (
            <>
              <button
                type="button"
                onClick={() => setShown(!shown)}
                aria-label={`${shown ? "Hide" : "Reveal"} ${label}`}
                aria-pressed={shown}
              >
                {shown ? "Hide" : "Reveal"}
              </button>
              <button type="button" onClick={() => setGen(!gen)} aria-expanded={gen} aria-label={`Generate ${label}`}>
                Generate
              </button>
            </>
          )}
        </div>
      )}
      {gen && (
        <Generator
          onUse={(p) => {
            onInput(p);
            setGen(false);
          }}
        />
      )}
    </div>
  );
}

export function ItemForm({
  item,
  onSave,
  onCancel,
  onDirty,
}: {
  item: Item | undefined;
  onSave: (item: Item) => Promise<void>;
  onCancel: () => void;
  /** told on the first change, so leaving the form can ask first */
  onDirty?: (dirty: boolean) => void;
}) {
  const [type, setType] = useState<ItemType>(item?.type ?? "login");
  const [title, setTitle] = useState(item?.title ?? "");
  const tplNames = new Set(template(type).fields.map((f) => f.name));
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries((item?.fields ?? []).filter((f) => !f.custom && tplNames.has(f.name)).map((f) => [f.name, f.value])),
  );
  const [custom, setCustom] = useState<CustomRow[]>(() =>
    (item?.fields ?? [])
      .filter((f) => f.custom || !tplNames.has(f.name))
      .map((f, i) => ({ key: i, name: f.name, kind: f.kind, value: f.value })),
  );
  const [notes, setNotes] = useState(item?.notes ?? "");
  const [tags, setTags] = useState((item?.tags ?? []).join(", "));
  const [favorite, setFavorite] = useState(item?.favorite ?? false);
  const [folder, setFolder] = useState(item?.folder ?? "");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  function build(): Item {
    const tpl = template(type);
    const tagList = tags
      .split(",")
      .map((t) => t.trim())
      .filter(Boolean)
      .slice(0, LIMITS.tags)
      .map((t) => t.slice(0, LIMITS.tag));
    const customFields: Field[] = custom
      .filter((c) => c.name.trim())
      .map((c) => ({ name: c.name.trim().slice(0, LIMITS.fieldName), kind: c.kind, value: c.value, custom: true }));
    if (!item) {
      const fields: Field[] = [
        ...tpl.fields.filter((f) => values[f.name]).map((f) => ({ name: f.name, kind: f.kind, value: values[f.name]! })),
        ...customFields,
      ];
      return createItem({ type, title: title.trim() || tpl.label, fields, notes, tags: tagList, favorite, folder });
    }
    const changes: Record<string, string | null> = {};
    for (const f of tpl.fields) {
      const v = values[f.name] ?? "";
      if (v || item.fields.some((x) => x.name === f.name)) changes[f.name] = v;
    }
    for (const old of item.fields)
      if ((old.custom || !tplNames.has(old.name)) && !customFields.some((c) => c.name === old.name)) changes[old.name] = null;
    for (const c of customFields) changes[c.name] = c.value;
    const edited = editItem(item, { title: title.trim() || item.title, fields: changes, notes, tags: tagList, favorite, folder });
    // editItem adds new custom fields as text: keep the kind chosen here.
    const kinds = new Map(customFields.map((c) => [c.name, c.kind]));
    return { ...edited, fields: edited.fields.map((f) => (kinds.has(f.name) ? { ...f, kind: kinds.get(f.name)!, custom: true } : f)) };
  }

  async function submit(ev: Event): Promise<void> {
    ev.preventDefault();
    setError("");
    const built = build();
    const size = itemSize(built);
    if (size > LIMITS.itemBytes) {
      // the engine refuses it too; saying it here keeps the form (and what was typed) open
      const kb = (n: number) => `${Math.ceil(n / 1024).toLocaleString()} KB`;
      setError(`This item is too large to save and sync: ${kb(size)}, the limit is ${kb(LIMITS.itemBytes)}. Shorten its notes or fields.`);
      return;
    }
    setBusy(true);
    try {
      await onSave(built);
    } catch (e) {
      setError(e instanceof Error ? `The item was not saved: ${e.message}` : "The item was not saved.");
      setBusy(false);
    }
  }

  const tpl = template(type);
  return (
    <form
      class="item-form stack"
      onSubmit={submit}
      onInput={() => onDirty?.(true)}
      onChange={() => onDirty?.(true)}
      aria-labelledby="form-title"
      aria-describedby={error ? "f-error" : undefined}
    >
      <header class="item-head">
        <button type="button" class="back" onClick={onCancel} aria-label="Cancel and go back">
          ←
        </button>
        <h2 id="form-title" tabIndex={-1}>
          {item ? "Edit item" : "New item"}
        </h2>
      </header>
      {!item && (
        <>
          <label for="f-type">Type</label>
          <select id="f-type" value={type} onChange={(e) => setType(e.currentTarget.value as ItemType)}>
            {TEMPLATES.map((t) => (
              <option key={t.type} value={t.type}>
                {t.label}
              </option>
            ))}
          </select>
        </>
      )}
      <label for="f-title">Title</label>
      <input
        id="f-title"
        data-autofocus
        aria-describedby={error ? "f-error" : undefined}
        aria-invalid={error ? true : undefined}
        value={title}
        maxLength={LIMITS.title}
        onInput={(e) => setTitle(e.currentTarget.value)}
      />
      {tpl.fields.map((f) => (
        <TemplateInput
          key={`${type}-${f.name}`}
          id={`f-${f.name}`}
          label={f.label}
          kind={f.kind}
          value={values[f.name] ?? ""}
          onInput={(v) => {
            setValues({ ...values, [f.name]: v });
            onDirty?.(true); // also when the generator fills it, which fires no input event
          }}
        />
      ))}
      <fieldset>
        <legend>Custom fields</legend>
        {custom.map((c, i) => (
          <div class="row tight custom" key={c.key}>
            <label class="sr-only" for={`cf-name-${c.key}`}>
              Custom field {i + 1} name
            </label>
            <input
              id={`cf-name-${c.key}`}
              placeholder="Name"
              value={c.name}
              maxLength={LIMITS.fieldName}
              onInput={(e) => setCustom(custom.map((x) => (x.key === c.key ? { ...x, name: e.currentTarget.value } : x)))}
            />
            <label class="sr-only" for={`cf-kind-${c.key}`}>
              Custom field {i + 1} kind
            </label>
            <select
              id={`cf-kind-${c.key}`}
              value={c.kind}
              onChange={(e) => setCustom(custom.map((x) => (x.key === c.key ? { ...x, kind: e.currentTarget.value as FieldKind } : x)))}
            >
              {FIELD_KINDS.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
            <label class="sr-only" for={`cf-value-${c.key}`}>
              Custom field {i + 1} value
            </label>
            <input
              id={`cf-value-${c.key}`}
              type={inputType(c.kind)}
              inputMode={inputMode(c.kind)}
              placeholder="Value"
              value={c.value}
              maxLength={LIMITS.fieldValue}
              onInput={(e) => setCustom(custom.map((x) => (x.key === c.key ? { ...x, value: e.currentTarget.value } : x)))}
            />
            <button
              type="button"
              aria-label={`Remove custom field ${i + 1}`}
              onClick={() => setCustom(custom.filter((x) => x.key !== c.key))}
            >
              Remove
            </button>
          </div>
        ))}
        <button
          type="button"
          disabled={custom.length + tpl.fields.length >= LIMITS.fields}
          onClick={() => setCustom([...custom, { key: Date.now(), name: "", kind: "text", value: "" }])}
        >
          Add field
        </button>
      </fieldset>
      <label for="f-notes">Notes</label>
      <textarea id="f-notes" rows={4} value={notes} maxLength={LIMITS.notes} onInput={(e) => setNotes(e.currentTarget.value)} />
      <label for="f-folder">Folder (e.g. Work/Dev)</label>
      <input id="f-folder" value={folder} onInput={(e) => setFolder(e.currentTarget.value)} />
      <label for="f-tags">Tags (comma separated)</label>
      <input id="f-tags" value={tags} onInput={(e) => setTags(e.currentTarget.value)} />
      <label class="check">
        <input type="checkbox" checked={favorite} onChange={(e) => setFavorite(e.currentTarget.checked)} /> Favourite
      </label>
      {error && (
        <p id="f-error" class="error" role="alert">
          {error}
        </p>
      )}
      <div class="row">
        <button type="submit" class="primary" disabled={busy}>
          Save
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
