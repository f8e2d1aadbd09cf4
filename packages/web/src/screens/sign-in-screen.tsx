// Sign in on a new device: e-mail, Account Password, then the QR code by image, camera or pasted text.

import { useEffect, useRef, useState } from "preact/hooks";
import { signInInWorker, warmUpWorker } from "../account/account-client.ts";
import type { DeviceAccount } from "../account/account-protocol.ts";
import { deviceName } from "../account/device-name.ts";
import { readQrFile, scanCamera } from "../qr/read-qr.ts";
import { errorCode, errorText } from "../ui/error-text.ts";
import { lazyComponent } from "../ui/lazy-component.tsx";
import { PasswordField } from "../ui/password-field.tsx";

const ERROR_ID = "si-error";
/** Which field an error is about, so the field points at the message (aria-describedby). */
const FIELD_OF: Record<string, "email" | "password" | "qr"> = {
  wrong_password: "password",
  unauthorized: "password",
  foreign_key: "email",
  stale_kit: "qr",
  missing_qr: "qr",
  qr_unreadable: "qr",
  unsupported_format: "qr",
  tampered: "qr",
};
const describedBy = (on: boolean) => (on ? { "aria-describedby": ERROR_ID, "aria-invalid": true as const } : {});

const PairSignIn = lazyComponent(() => import("./pair-sign-in.tsx").then((m) => m.PairSignIn));

export function SignInScreen({
  onDone,
  onSignUp,
  onForgot,
}: {
  onDone: (a: DeviceAccount, email: string) => void;
  onSignUp: () => void;
  onForgot: () => void;
}) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [eakText, setEakText] = useState("");
  const [device, setDevice] = useState(deviceName);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ code: string; text: string } | undefined>();
  const [qrNote, setQrNote] = useState("");
  const [scanning, setScanning] = useState<AbortController | undefined>();
  const [withDevice, setWithDevice] = useState(false);
  const video = useRef<HTMLVideoElement>(null);
  useEffect(warmUpWorker, []);
  const errorOn = error ? FIELD_OF[error.code] : undefined;

  async function onFile(ev: Event): Promise<void> {
    const file = (ev.currentTarget as HTMLInputElement).files?.[0];
    setError(undefined);
    setQrNote("");
    if (!file) return;
    try {
      setEakText(await readQrFile(file));
      setQrNote("QR code read.");
    } catch (e) {
      setError({ code: errorCode(e), text: errorText(e) });
    }
  }

  async function camera(): Promise<void> {
    if (scanning) {
      scanning.abort();
      setScanning(undefined);
      return;
    }
    const ctl = new AbortController();
    setScanning(ctl);
    setError(undefined);
    try {
      setEakText(await scanCamera(video.current!, ctl.signal));
      setQrNote("QR code read from the camera.");
    } catch (e) {
      if (!(e instanceof DOMException && e.name === "AbortError"))
        setError({ code: "camera", text: "The camera is not available. Upload an image or paste the text instead." });
    } finally {
      setScanning(undefined);
    }
  }

  async function submit(ev: Event): Promise<void> {
    ev.preventDefault();
    setError(undefined);
    if (!eakText.trim())
      return setError({ code: "missing_qr", text: "Add your account QR code: upload its image, scan it, or paste its text." });
    setBusy(true);
    try {
      onDone(await signInInWorker(email.trim(), password, eakText, device), email.trim());
    } catch (e) {
      setError({ code: errorCode(e), text: errorText(e) });
      setBusy(false);
    }
  }

  if (withDevice) return <PairSignIn onDone={onDone} onBack={() => setWithDevice(false)} />;
  return (
    <main class="center-card">
      <h1 class="brand">Cryptex</h1>
      <h2>Sign in on this device</h2>
      <p>
        <button type="button" class="link" onClick={() => setWithDevice(true)}>
          Sign in with another device
        </button>
      </p>
      <form onSubmit={submit} class="stack">
        <label for="si-email">Email</label>
        <input
          id="si-email"
          type="email"
          autocomplete="username"
          required
          value={email}
          onInput={(e) => setEmail(e.currentTarget.value)}
          {...describedBy(errorOn === "email")}
        />
        <PasswordField
          id="si-password"
          label="Account password"
          autocomplete="current-password"
          value={password}
          onValue={setPassword}
          errorId={errorOn === "password" ? ERROR_ID : undefined}
        />
        <fieldset>
          <legend>Your account QR code</legend>
          <label for="si-qr">QR code image</label>
          <input id="si-qr" type="file" accept="image/png,image/jpeg" onChange={onFile} />
          <button type="button" onClick={camera}>
            {scanning ? "Stop camera" : "Scan with camera"}
          </button>
          <video ref={video} class={scanning ? "camera" : "hidden"} muted playsInline aria-label="Camera preview" />
          <label for="si-eak">Encrypted account key</label>
          <textarea
            id="si-eak"
            rows={3}
            spellcheck={false}
            autocomplete="off"
            placeholder="CRYPTEX:…"
            value={eakText}
            onInput={(e) => setEakText(e.currentTarget.value)}
            {...describedBy(errorOn === "email" || errorOn === "qr")}
          />
          {qrNote && (
            <p class="ok" role="status">
              {qrNote}
            </p>
          )}
        </fieldset>
        <label for="si-device">Name of this device</label>
        <input
          id="si-device"
          autocomplete="off"
          maxLength={100}
          aria-describedby="si-device-hint"
          value={device}
          onInput={(e) => setDevice(e.currentTarget.value)}
        />
        <p id="si-device-hint" class="muted small">
          Shown in your list of devices, so you can tell them apart.
        </p>
        {error && (
          <p id={ERROR_ID} class="error" role="alert" data-code={error.code}>
            {error.text}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
      <p>
        <button type="button" class="link" onClick={onForgot}>
          Forgot password?
        </button>
      </p>
      <p>
        New to Cryptex?{" "}
        <button type="button" class="link" onClick={onSignUp}>
          Create an account
        </button>
      </p>
    </main>
  );
}
