// First run: this browser becomes a Cryptex device (server address, e-mail, Account Password, QR code).
import { readQrFile } from "@cryptex/web/src/qr/read-qr.ts";
import { errorText } from "@cryptex/web/src/ui/error-text.ts";
import { PasswordField } from "@cryptex/web/src/ui/password-field.tsx";
import { useState } from "preact/hooks";
import { ask } from "./ask-worker.ts";

export function SignInView({ onDone }: { onDone: () => void }) {
  const [serverUrl, setServerUrl] = useState("https://");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [eakText, setEakText] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");

  async function onFile(ev: Event): Promise<void> {
    const file = (ev.currentTarget as HTMLInputElement).files?.[0];
    setError("");
    if (!file) return;
    try {
      setEakText(await readQrFile(file));
    } catch (e) {
      setError(errorText(e));
    }
  }

  async function submit(ev: Event): Promise<void> {
    ev.preventDefault();
    if (!eakText.trim()) return setError("Add your account QR code: its image or its text.");
    setBusy(true);
    setError("");
    try {
      await ask({ type: "signIn", serverUrl, email, password, eakText });
      onDone();
    } catch (e) {
      setError(e instanceof Error ? e.message : "Sign-in failed.");
      setBusy(false);
    }
  }

  return (
    <form class="stack" onSubmit={submit}>
      <h1 class="brand">Cryptex</h1>
      <p class="muted">Sign in to make this browser one of your devices.</p>
      <label for="x-server">Server address</label>
      <input id="x-server" type="url" required value={serverUrl} onInput={(e) => setServerUrl(e.currentTarget.value)} />
      <label for="x-email">Email</label>
      <input id="x-email" type="email" autocomplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
      <PasswordField id="x-password" label="Account password" autocomplete="current-password" value={password} onValue={setPassword} />
      <label for="x-qr">Account QR code image</label>
      <input id="x-qr" type="file" accept="image/png,image/jpeg" onChange={onFile} />
      <label for="x-eak">…or its text</label>
      <textarea
        id="x-eak"
        rows={2}
        spellcheck={false}
        placeholder="CRYPTEX:…"
        value={eakText}
        onInput={(e) => setEakText(e.currentTarget.value)}
      />
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
