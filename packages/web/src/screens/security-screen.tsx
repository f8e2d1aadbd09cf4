// The Security page: the password health report (score and lists), the opt-in breach check, and a
// one-click "change password" flow (open the site, generate, save through the vault's save path with history).
import type { ItemId } from "@cryptex/core";
import { generatePassword } from "@cryptex/core/vault/generator.ts";
import type { HealthReport, ItemRef } from "@cryptex/core/vault/health/health-report.ts";
import { editItem, type Item } from "@cryptex/core/vault/item.ts";
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { copySecret } from "../ui/clipboard.ts";
import { breachSettings, HealthState, saveBreachSettings } from "../vault/health-state.ts";
import type { VaultSession } from "../vault/vault-session.ts";

const siteOf = (item: Item) => item.fields.find((f) => f.kind === "url" && /^https?:\/\//i.test(f.value))?.value;

function ChangePassword({ session, item, onDone }: { session: VaultSession; item: Item; onDone: (saved: boolean) => void }) {
  const [value, setValue] = useState(() => generatePassword({ length: 20 }));
  const [error, setError] = useState("");
  const site = siteOf(item);
  async function save() {
    try {
      // editItem keeps the old password in the item's history
      await session.save(editItem(item, { fields: { password: value } }), item);
      onDone(true);
    } catch {
      setError("The new password could not be saved.");
    }
  }
  return (
    <section class="change-password" aria-label={`Change the password of ${item.title}`}>
      <h3>New password for {item.title || "(untitled)"}</h3>
      <ol>
        <li>
          {site ? (
            <button type="button" onClick={() => window.open(site, "_blank", "noopener,noreferrer")}>
              Open the site
            </button>
          ) : (
            "Open the site"
          )}{" "}
          and go to its password settings.
        </li>
        <li>
          <label for="new-password">New password</label> <input id="new-password" class="mono" readOnly value={value} spellcheck={false} />{" "}
          <button type="button" onClick={() => setValue(generatePassword({ length: 20 }))}>
            Generate again
          </button>{" "}
          <button type="button" onClick={() => void copySecret(value)}>
            Copy
          </button>
        </li>
        <li>Set it on the site, then save it here (the old one stays in the item's history).</li>
      </ol>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="row">
        <button type="button" class="primary" onClick={() => void save()}>
          Save new password
        </button>
        <button type="button" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
    </section>
  );
}

function List({ title, count, children }: { title: string; count: number; children: ComponentChildren }) {
  if (count === 0) return null;
  return (
    <section class="health-list" aria-label={title}>
      <h3>
        {title} ({count})
      </h3>
      <ul>{children}</ul>
    </section>
  );
}

export function SecurityScreen({
  session,
  onClose,
  onOpenItem,
}: {
  session: VaultSession;
  onClose: () => void;
  onOpenItem: (id: ItemId) => void;
}) {
  const state = HealthState.of(session);
  const [report, setReport] = useState<HealthReport | undefined>(state.report);
  const [busy, setBusy] = useState(false);
  const [settings, setSettings] = useState(breachSettings);
  const [note, setNote] = useState("");
  const [changing, setChanging] = useState<Item | undefined>();

  async function refresh(withBreaches = breachSettings().enabled) {
    setBusy(true);
    try {
      setReport(await state.run(withBreaches));
    } catch {
      setNote("The report could not be computed.");
    } finally {
      setBusy(false);
    }
  }
  useEffect(() => {
    void refresh();
  }, []);

  function applySettings(next: typeof settings) {
    setSettings(next);
    const err = saveBreachSettings(next);
    setNote(err ?? "");
    return !err;
  }

  const row = (r: ItemRef, extra: ComponentChildren, canChange = true) => (
    <li key={r.id}>
      {/* one flexible line: on a narrow screen the button wraps whole below the title, not mid-sentence */}
      <span class="finding">
        <button type="button" class="link" onClick={() => onOpenItem(r.id)}>
          {r.title || "(untitled)"}
        </button>
        {extra && <span class="muted">{extra}</span>}
        {canChange && (
          <button type="button" onClick={() => void session.readItem(r.id).then(setChanging)} aria-label={`Change password of ${r.title}`}>
            Change password
          </button>
        )}
      </span>
    </li>
  );

  const bc = report?.breachCheck;
  return (
    <div class="security">
      <header class="item-head">
        <button type="button" class="back" onClick={onClose} aria-label="Back to the list">
          ←
        </button>
        <h2>Security</h2>
      </header>
      {changing && (
        <ChangePassword
          session={session}
          item={changing}
          onDone={(saved) => {
            setChanging(undefined);
            if (saved) void refresh(false);
          }}
        />
      )}
      {report ? (
        <p class="health-score">
          Health score <strong>{report.score}</strong>/100 · {report.passwords} {report.passwords === 1 ? "item" : "items"} with a password
        </p>
      ) : (
        <p aria-busy="true">Checking your passwords on this device…</p>
      )}
      <fieldset class="breach-settings">
        <legend>Breach check</legend>
        <label class="check">
          <input
            type="checkbox"
            checked={settings.enabled}
            onChange={(e) => applySettings({ ...settings, enabled: e.currentTarget.checked })}
          />{" "}
          Check passwords against Have I Been Pwned
        </label>
        <p class="muted">
          Only the first 5 characters of each password's SHA-1 hash leave this device (k-anonymity); the answer lists every breached
          password with that prefix, padded with decoys. Results are cached here, encrypted.
        </p>
        <label for="breach-endpoint">Endpoint</label>{" "}
        <input
          id="breach-endpoint"
          value={settings.endpoint}
          spellcheck={false}
          onChange={(e) => applySettings({ ...settings, endpoint: e.currentTarget.value })}
        />{" "}
        <button type="button" disabled={busy || !settings.enabled} onClick={() => applySettings(settings) && void refresh(true)}>
          Check now
        </button>
        {bc?.status === "failed" && (
          <p class="error" role="alert">
            Breach check failed: {bc.message}
          </p>
        )}
        {bc?.status === "done" && <p class="muted">Breach check done.</p>}
      </fieldset>
      {note && (
        <p class="error" role="alert">
          {note}
        </p>
      )}
      {report && (
        <>
          <List title="Breached" count={report.breached.length}>
            {report.breached.map((x) => row(x, `seen ${x.count.toLocaleString("en")} time${x.count === 1 ? "" : "s"} in breaches`))}
          </List>
          <List title="Weak" count={report.weak.length}>
            {report.weak.map((x) => row(x, `strength ${x.strength}/4`))}
          </List>
          <List title="Reused" count={report.reused.length}>
            {report.reused.map((g, i) => (
              <li key={g[0]!.id}>
                Group {i + 1}: {g.length} items share one password
                <ul>{g.map((x) => row(x, ""))}</ul>
              </li>
            ))}
          </List>
          <List title="Old (not changed for a year)" count={report.old.length}>
            {report.old.map((x) => row(x, `since ${new Date(x.changedAt).toISOString().slice(0, 10)}`))}
          </List>
          <List title="Insecure http: addresses" count={report.insecureUrls.length}>
            {report.insecureUrls.map((x) => row(x, x.url, false))}
          </List>
          <List title={`No one-time code where the site offers one (list of ${report.totpListDate})`} count={report.missingTotp.length}>
            {report.missingTotp.map((x) => row(x, x.domain, false))}
          </List>
          {report.passwords > 0 && report.score === 100 && report.insecureUrls.length + report.missingTotp.length === 0 && (
            <p>No findings.</p>
          )}
        </>
      )}
    </div>
  );
}
