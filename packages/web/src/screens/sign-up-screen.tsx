// Sign-up screen: e-mail, Account Password with live strength and confirmation; the key is made on this device.
import type { OpenedAccount } from "@cryptex/core/client/account.ts";
import { useEffect, useState } from "preact/hooks";
import { signUpInWorker, warmUpWorker } from "../account/account-client.ts";
import { errorText } from "../ui/error-text.ts";
import { PasswordField } from "../ui/password-field.tsx";
import { type Strength, StrengthMeter } from "../ui/strength-meter.tsx";

export function SignUpScreen({
  onDone,
  onSignIn,
}: {
  onDone: (a: OpenedAccount, email: string, mailed: boolean) => void;
  onSignIn: () => void;
}) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [sendEmail, setSendEmail] = useState(true);
  const [strength, setStrength] = useState<Strength>({ acceptable: false, score: 0 });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  useEffect(warmUpWorker, []);

  async function submit(ev: Event): Promise<void> {
    ev.preventDefault();
    setError("");
    if (!strength.acceptable)
      return setError(
        "Choose a stronger account password: at least 12 characters and hard to guess, or a generated passphrase of 5+ words.",
      );
    if (password !== confirm) return setError("The two passwords do not match.");
    setBusy(true);
    try {
      onDone(await signUpInWorker(email.trim(), password, sendEmail), email.trim(), sendEmail);
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  }

  return (
    <main class="center-card">
      <h1 class="brand">Cryptex</h1>
      <h2>Create your account</h2>
      <form onSubmit={submit} class="stack">
        <label for="su-email">Email</label>
        <input id="su-email" type="email" autocomplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        <PasswordField id="su-password" label="Account password" autocomplete="new-password" value={password} onValue={setPassword} />
        <StrengthMeter password={password} email={email} onChange={setStrength} />
        <PasswordField id="su-confirm" label="Confirm account password" autocomplete="new-password" value={confirm} onValue={setConfirm} />
        <label class="check">
          <input type="checkbox" checked={sendEmail} onChange={(e) => setSendEmail(e.currentTarget.checked)} /> E-mail me my account QR code
        </label>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? "Creating account…" : "Create account"}
        </button>
      </form>
      <p class="muted">Your Account Key is made on this device. Nobody, not even the server, can read your vault.</p>
      <p>
        Already have an account?{" "}
        <button type="button" class="link" onClick={onSignIn}>
          Sign in on this device
        </button>
      </p>
    </main>
  );
}
