// Settings → "Add a device": approve a new device by its pairing code (image, camera or typed), or show a code
// for it to use. Asks "Approve DEVICE for E-MAIL?" with the comparison code; sends the EAK, never the key.
import { createPairRelayClient } from "@cryptex/core/client/pair-relay-client.ts";
import { approveDevice, type PairingRequestView } from "@cryptex/core/pairing/device-pairing.ts";
import { PairingChannel } from "@cryptex/core/pairing/pairing-channel.ts";
import { newPairingSecret, pairingCodeText, pairingUri, parsePairingCode } from "@cryptex/core/pairing/pairing-code.ts";
import { useEffect, useRef, useState } from "preact/hooks";
import { qrBlobUrl } from "../qr/qr-image.ts";
import { readQrFile, scanCamera } from "../qr/read-qr.ts";
import { errorCode } from "../ui/error-text.ts";
import { pairingErrorText } from "../ui/pairing-error-text.ts";
import type { VaultSession } from "../vault/vault-session.ts";

type Asking = { request: PairingRequestView; answer: (ok: boolean) => void };

export function AddDevicePanel({ session }: { session: VaultSession }) {
  const [typed, setTyped] = useState("");
  const [shown, setShown] = useState<{ code: string; qr: string } | undefined>();
  const [asking, setAsking] = useState<Asking | undefined>();
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ code: string; text: string } | undefined>();
  const [scanning, setScanning] = useState<AbortController | undefined>();
  const [stop] = useState(() => new AbortController());
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => () => stop.abort(), []);
  useEffect(() => () => shown && URL.revokeObjectURL(shown.qr), [shown]);

  async function pair(codeText: string | undefined): Promise<void> {
    setMsg(undefined);
    setBusy(true);
    try {
      const origin = location.origin;
      const relay = createPairRelayClient({ baseUrl: origin });
      const opts = { relay, origin, signal: stop.signal };
      let channel: PairingChannel;
      if (codeText !== undefined) {
        channel = await PairingChannel.join({ ...opts, secret: parsePairingCode(codeText, origin) });
      } else {
        const secret = newPairingSecret();
        const opened = await PairingChannel.open({ ...opts, secret });
        setShown({ code: pairingCodeText(secret), qr: qrBlobUrl(pairingUri(secret, origin)) });
        channel = await opened.connect();
      }
      const out = await approveDevice({
        api: session.api,
        keys: () => session.currentEak(), // opened in the account worker, where the keys are
        email: session.meta.email,
        channel,
        confirm: (request) => new Promise<boolean>((answer) => setAsking({ request, answer })),
      });
      setAsking(undefined);
      const name = out.request.deviceName;
      setMsg(
        !out.approved
          ? { code: "refused", text: "Refused: nothing was sent to the new device." }
          : out.signedIn
            ? { code: "added", text: `Device "${name}" added: it is signed in.` }
            : { code: "not_signed_in", text: `Approved, but "${name}" could not sign in (${out.reason ?? "unknown reason"}).` },
      );
    } catch (e) {
      setAsking(undefined);
      if (!stop.signal.aborted) setMsg({ code: errorCode(e), text: pairingErrorText(e) });
    } finally {
      setShown(undefined);
      setBusy(false);
    }
  }

  async function onFile(ev: Event): Promise<void> {
    const file = (ev.currentTarget as HTMLInputElement).files?.[0];
    if (!file) return;
    try {
      await pair(await readQrFile(file));
    } catch (e) {
      setMsg({ code: errorCode(e), text: pairingErrorText(e) });
    }
  }

  async function camera(): Promise<void> {
    if (scanning) return scanning.abort();
    const ctl = new AbortController();
    setScanning(ctl);
    try {
      const text = await scanCamera(video.current!, ctl.signal);
      setScanning(undefined);
      await pair(text);
    } catch (e) {
      if (!(e instanceof DOMException && e.name === "AbortError"))
        setMsg({ code: "camera", text: "The camera is not available. Upload an image or type the code instead." });
    } finally {
      setScanning(undefined);
    }
  }

  return (
    <section aria-labelledby="s-add">
      <h3 id="s-add">Add a device</h3>
      <p class="muted small">
        On the new device choose "Sign in with another device" (or run <code>cryptex signin --pair</code>), then read its code here.
      </p>
      {!busy && (
        <div class="stack">
          <label for="s-add-image">Pairing code image</label>
          <input id="s-add-image" type="file" accept="image/png,image/jpeg" onChange={onFile} />
          <button type="button" onClick={camera}>
            {scanning ? "Stop camera" : "Scan with camera"}
          </button>
          <video ref={video} class={scanning ? "camera" : "hidden"} muted playsInline aria-label="Camera preview" />
          <label for="s-add-typed">Pairing code</label>
          <input id="s-add-typed" autocomplete="off" spellcheck={false} value={typed} onInput={(e) => setTyped(e.currentTarget.value)} />
          <button type="button" disabled={!typed.trim()} onClick={() => pair(typed)}>
            Use this code
          </button>
          <button type="button" onClick={() => pair(undefined)}>
            Show a code for the new device
          </button>
        </div>
      )}
      {shown && !asking && (
        <div>
          <img src={shown.qr} alt="Pairing QR code" class="qr" width={240} height={240} />
          <p>
            Pairing code: <strong id="s-add-code">{shown.code}</strong> (once, 5 minutes)
          </p>
        </div>
      )}
      {asking && (
        <div role="dialog" aria-labelledby="s-add-ask">
          <p id="s-add-ask">
            Approve "{asking.request.deviceName}" ({asking.request.platform}) for {asking.request.email}?
          </p>
          <p>
            Comparison code: <strong id="s-add-comparison">{asking.request.comparison}</strong> — approve only if the new device shows the
            same.
          </p>
          <button type="button" class="primary" onClick={() => asking.answer(true)}>
            Approve
          </button>
          <button type="button" onClick={() => asking.answer(false)}>
            Refuse
          </button>
        </div>
      )}
      {busy && !asking && !shown && <p aria-busy="true">Connecting…</p>}
      {msg && (
        <p role={msg.code === "added" || msg.code === "refused" ? "status" : "alert"} data-code={msg.code}>
          {msg.text}
        </p>
      )}
    </section>
  );
}
