// Forgotten password: says plainly that the data cannot be recovered, mails a code, and the code erases the
// account's server copy so the address can sign up again. Devices still signed in keep their own copy.
import { confirmAccountErase, requestAccountErase } from "@cryptex/core/client/account.ts";
import { createApiClient } from "@cryptex/core/client/api-client.ts";
import { useState } from "preact/hooks";
import { errorCode, errorText } from "../ui/error-text.ts";

type Step = "ask" | "code" | "erased";

export function ForgotScreen({ onSignUp, onBack }: { onSignUp: () => void; onBack: () => void }) {
  const [step, setStep] = useState<Step>("ask");
  const [email, setEmail] = useState("");
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ code: string; text: string } | undefined>();
  const api = () => createApiClient({ baseUrl: location.origin });

  async function run(ev: Event, action: () => Promise<void>, next: Step): Promise<void> {
    ev.preventDefault();
    setError(undefined);
    setBusy(true);
    try {
      await action();
      setStep(next);
    } catch (e) {
      setError({ code: errorCode(e), text: errorText(e) });
    }
    setBusy(false);
  }

  const alert = error && (
    <p class="error" role="alert" data-code={error.code}>
      {error.text}
    </p>
  );

  if (step === "erased")
    return (
      <main class="center-card">
        <h1 class="brand">Cryptex</h1>
        <h2>Account erased</h2>
        <p role="status">
          The account <strong>{email.trim()}</strong> was erased on this server. Its data is gone and cannot be recovered by anyone.
        </p>
        <p>You can now create a new account with the same address.</p>
        <button type="button" class="primary" onClick={onSignUp}>
          Create a new account
        </button>
      </main>
    );

  return (
    <main class="center-card">
      <h1 class="brand">Cryptex</h1>
      <h2>Forgot your password?</h2>
      <p>
        Cryptex cannot recover your data: it is encrypted with keys that only your Account Password and Account Key open, and no one (not
        you, not the server's operator) has them.
      </p>
      <p>
        What you can do is <strong>erase the account</strong> on the server and create a new one with the same address. Every item stored
        there is then gone for good. Devices that are still signed in keep their own copy: export it there first.
      </p>
      {step === "ask" ? (
        <form onSubmit={(ev) => run(ev, () => requestAccountErase(api(), email.trim()), "code")} class="stack">
          <label for="fg-email">Email</label>
          <input
            id="fg-email"
            type="email"
            autocomplete="username"
            required
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
          {alert}
          <button type="submit" class="primary" disabled={busy}>
            {busy ? "Sending…" : "Mail me a code"}
          </button>
        </form>
      ) : (
        <form onSubmit={(ev) => run(ev, () => confirmAccountErase(api(), email.trim(), code), "erased")} class="stack">
          <p role="status">
            If <strong>{email.trim()}</strong> has an account here, a code was mailed to it ("Cryptex: your code to reset your account").
          </p>
          <label for="fg-code">Code from the mail</label>
          <input
            id="fg-code"
            inputMode="numeric"
            autocomplete="one-time-code"
            required
            maxLength={12}
            value={code}
            onInput={(e) => setCode(e.currentTarget.value)}
          />
          {alert}
          <button type="submit" class="danger" disabled={busy}>
            {busy ? "Erasing…" : "Erase my account for good"}
          </button>
        </form>
      )}
      <button type="button" class="link" onClick={onBack}>
        Back to sign in
      </button>
    </main>
  );
}
