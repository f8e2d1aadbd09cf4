// Sign-up screen: e-mail, Account Password with live strength and confirmation; the key is made on this device.
// Then the code the server mailed to the address: the account exists only once it is confirmed.
import { useEffect, useState } from "preact/hooks";
import { confirmSignUpInWorker, startSignUpInWorker, warmUpWorker } from "../account/account-client.ts";
import type { DeviceAccount, PendingView } from "../account/account-protocol.ts";
import { errorCode, errorText } from "../ui/error-text.ts";
import { PasswordField } from "../ui/password-field.tsx";
import { acceptablePassword, StrengthMeter } from "../ui/strength-meter.tsx";

export function SignUpScreen({
  onDone,
  onSignIn,
}: {
  onDone: (a: DeviceAccount, email: string, mailed: boolean) => void;
  onSignIn: () => void;
}) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [sendEmail, setSendEmail] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const [pending, setPending] = useState<PendingView | undefined>();
  useEffect(warmUpWorker, []);

  async function submit(ev: Event): Promise<void> {
    ev.preventDefault();
    setError("");
    setBusy(true);
    try {
      if (!(await acceptablePassword(password, email)))
        setError("Choose a stronger account password: at least 12 characters and hard to guess, or a generated passphrase of 5+ words.");
      else if (password !== confirm) setError("The two passwords do not match.");
      else setPending(await startSignUpInWorker(email.trim(), password));
    } catch (e) {
      setError(errorText(e));
    }
    setBusy(false);
  }

  if (pending)
    return (
      <ConfirmStep
        pending={pending}
        onConfirm={async (code) => onDone(await confirmSignUpInWorker(pending, code, sendEmail), pending.email, sendEmail)}
        onBack={() => setPending(undefined)}
      />
    );

  return (
    <main class="center-card">
      <h1 class="brand">Cryptex</h1>
      <h2>Create your account</h2>
      <form onSubmit={submit} class="stack">
        <label for="su-email">Email</label>
        <input id="su-email" type="email" autocomplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        <PasswordField
          id="su-password"
          label="Account password"
          autocomplete="new-password"
          value={password}
          onValue={setPassword}
          errorId={error ? "su-error" : undefined}
        />
        <StrengthMeter password={password} email={email} />
        <PasswordField id="su-confirm" label="Confirm account password" autocomplete="new-password" value={confirm} onValue={setConfirm} />
        <label class="check">
          <input type="checkbox" checked={sendEmail} onChange={(e) => setSendEmail(e.currentTarget.checked)} /> E-mail me my account QR code
        </label>
        {error && (
          <p id="su-error" class="error" role="alert">
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

function ConfirmStep({
  pending,
  onConfirm,
  onBack,
}: {
  pending: PendingView;
  onConfirm: (code: string) => Promise<void>;
  onBack: () => void;
}) {
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ code: string; text: string } | undefined>();

  async function submit(ev: Event): Promise<void> {
    ev.preventDefault();
    setError(undefined);
    setBusy(true);
    try {
      await onConfirm(code);
    } catch (e) {
      setError({ code: errorCode(e), text: errorText(e) });
      setBusy(false);
    }
  }

  return (
    <main class="center-card">
      <h1 class="brand">Cryptex</h1>
      <h2>Confirm your e-mail address</h2>
      <p>
        We sent a code to <strong>{pending.email}</strong> ("Cryptex: your code to confirm your e-mail address"). Your account is created
        when you enter it; it works for 24 hours.
      </p>
      <form onSubmit={submit} class="stack">
        <label for="su-code">Code from the mail</label>
        <input
          id="su-code"
          inputMode="numeric"
          autocomplete="one-time-code"
          required
          maxLength={12}
          value={code}
          onInput={(e) => setCode(e.currentTarget.value)}
          aria-describedby={error ? "su-code-error" : undefined}
        />
        {error && (
          <p id="su-code-error" class="error" role="alert" data-code={error.code}>
            {error.text}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? "Confirming…" : "Confirm"}
        </button>
      </form>
      <p class="muted">No mail? Check the spam folder, or go back and start again for a new code.</p>
      <button type="button" class="link" onClick={onBack}>
        Back
      </button>
    </main>
  );
}
