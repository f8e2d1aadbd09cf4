// "Sign in with another device": this page shows a pairing code (QR image and typed code) for a signed-in
// device to approve, or takes the code that device shows. The password is still needed (docs/security.md §6).
import { createPairRelayClient } from "@cryptex/core/client/pair-relay-client.ts";
import { signInByPairing } from "@cryptex/core/pairing/device-pairing.ts";
import { PairingChannel } from "@cryptex/core/pairing/pairing-channel.ts";
import { newPairingSecret, pairingCodeText, pairingUri, parsePairingCode } from "@cryptex/core/pairing/pairing-code.ts";
import { useEffect, useState } from "preact/hooks";
import { signInInWorker } from "../account/account-client.ts";
import type { DeviceAccount } from "../account/account-protocol.ts";
import { deviceName } from "../account/device-name.ts";
import { qrBlobUrl } from "../qr/qr-image.ts";
import { errorCode } from "../ui/error-text.ts";
import { pairingErrorText } from "../ui/pairing-error-text.ts";
import { PasswordField } from "../ui/password-field.tsx";

type Props = { onDone: (a: DeviceAccount, email: string) => void; onBack: () => void };

export function PairSignIn({ onDone, onBack }: Props) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [typed, setTyped] = useState("");
  const [code, setCode] = useState("");
  const [qr, setQr] = useState("");
  const [comparison, setComparison] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ code: string; text: string } | undefined>();
  const [stop] = useState(() => new AbortController());
  useEffect(() => () => stop.abort(), []);
  useEffect(() => () => qr && URL.revokeObjectURL(qr), [qr]);

  async function run(withCode: boolean): Promise<void> {
    setError(undefined);
    if (!email.trim() || !password) return setError({ code: "missing", text: "Enter your e-mail and account password first." });
    setBusy(true);
    try {
      const origin = location.origin;
      const relay = createPairRelayClient({ baseUrl: origin });
      const opts = { relay, origin, signal: stop.signal };
      let channel: PairingChannel;
      if (withCode) {
        channel = await PairingChannel.join({ ...opts, secret: parsePairingCode(typed, origin) });
      } else {
        const secret = newPairingSecret();
        const opened = await PairingChannel.open({ ...opts, secret });
        setCode(pairingCodeText(secret));
        setQr(qrBlobUrl(pairingUri(secret, origin)));
        channel = await opened.connect();
      }
      setComparison(channel.comparison);
      const account = await signInByPairing({
        origin,
        channel,
        email: email.trim(),
        deviceName: deviceName(),
        platform: "web browser",
        signIn: (eakText) => signInInWorker(email.trim(), password, eakText),
      });
      onDone(account, email.trim());
    } catch (e) {
      if (!stop.signal.aborted) setError({ code: errorCode(e), text: pairingErrorText(e) });
      setBusy(false);
    }
  }

  return (
    <main class="center-card">
      <h1 class="brand">Cryptex</h1>
      <h2>Sign in with another device</h2>
      <p class="muted small">A device where you are signed in approves this one. You still need your account password.</p>
      <form
        class="stack"
        onSubmit={(ev) => {
          ev.preventDefault();
          run(false);
        }}
      >
        <label for="ps-email">Email</label>
        <input id="ps-email" type="email" autocomplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        <PasswordField id="ps-password" label="Account password" autocomplete="current-password" value={password} onValue={setPassword} />
        {!code && (
          <button type="submit" class="primary" disabled={busy}>
            Show a pairing code
          </button>
        )}
        {code && (
          <section aria-labelledby="ps-code-h">
            <h3 id="ps-code-h">Approve this device</h3>
            <p>
              On a signed-in device, open Settings → Add a device and scan this code, or run <code>cryptex device approve</code> with the
              code below. It works once, for 5 minutes.
            </p>
            {qr && <img src={qr} alt="Pairing QR code" class="qr" width={240} height={240} />}
            <p>
              Pairing code: <strong id="ps-code">{code}</strong>
            </p>
          </section>
        )}
        {!code && (
          <fieldset>
            <legend>Or use a code shown by the other device</legend>
            <label for="ps-typed">Pairing code</label>
            <input id="ps-typed" autocomplete="off" spellcheck={false} value={typed} onInput={(e) => setTyped(e.currentTarget.value)} />
            <button type="button" disabled={busy || !typed.trim()} onClick={() => run(true)}>
              Use this code
            </button>
          </fieldset>
        )}
        {comparison && (
          <p role="status">
            Comparison code: <strong id="ps-comparison">{comparison}</strong> — the other device must show the same. Waiting for its
            approval…
          </p>
        )}
        {error && (
          <p class="error" role="alert" data-code={error.code}>
            {error.text}
          </p>
        )}
      </form>
      <p>
        <button type="button" class="link" onClick={onBack}>
          Sign in with the QR code instead
        </button>
      </p>
    </main>
  );
}
