// After sign-up: the Account QR code, the Emergency Kit download and a note about the mail.
import { useEffect, useState } from "preact/hooks";
import { downloadBlob, emergencyKitPng, qrBlobUrl } from "../qr/qr-image.ts";

export function AccountKeyScreen({
  email,
  eakText,
  mailed,
  onContinue,
}: {
  email: string;
  eakText: string;
  mailed: boolean;
  onContinue: () => void;
}) {
  const [url, setUrl] = useState("");
  const [error, setError] = useState("");
  useEffect(() => {
    const u = qrBlobUrl(eakText);
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [eakText]);

  async function download(): Promise<void> {
    try {
      downloadBlob(await emergencyKitPng(email, eakText), "Cryptex Emergency Kit.png");
    } catch {
      setError("The Emergency Kit could not be made in this browser. Copy the text below instead.");
    }
  }

  return (
    <main class="center-card wide">
      <h1 class="brand">Cryptex</h1>
      <h2>Your account QR code</h2>
      <p>
        You need this QR code <strong>and</strong> your Account Password to sign in on a new device. Save the Emergency Kit somewhere safe.
      </p>
      {url && <img class="qr" src={url} width={300} height={300} alt="Account QR code (encrypted account key)" />}
      <details>
        <summary>Show the code as text</summary>
        <p class="mono break">{eakText}</p>
      </details>
      <p class="note" role="status">
        {mailed
          ? `We sent a copy to ${email} as “IMPORTANT: Cryptex Account QR Code”. Keep that mail, or print the Emergency Kit and delete it.`
          : "You chose not to receive it by e-mail: download the Emergency Kit now."}
      </p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="row">
        <button type="button" onClick={download}>
          Download Emergency Kit
        </button>
        <button type="button" class="primary" onClick={onContinue}>
          Continue to vault
        </button>
      </div>
    </main>
  );
}
