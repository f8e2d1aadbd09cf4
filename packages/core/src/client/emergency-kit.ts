// What an Emergency Kit says, in one place for every app: the CLI draws it into a PNG with its bitmap font and
// writes it as text, the web app draws it on a canvas. Only the drawing differs, so a kit from either app tells
// the user the same things: which account and server, the EAK text in groups a person can type, and how to use it.

export interface KitInfo {
  /** the EAK text (the QR code's content) */
  readonly eakText: string;
  readonly email: string;
  /** the server's address, or `folder PATH` for an account that syncs through a folder */
  readonly serverUrl: string;
  readonly createdAt: Date;
}

export interface KitContent {
  readonly heading: string;
  readonly facts: readonly string[];
  readonly keyLabel: string;
  /** the EAK text in groups of 4 */
  readonly key: string;
  readonly steps: readonly string[];
}

/** The EAK text in groups of 4 after its prefix (the EAK parser ignores the spaces), so a person can type it back. */
export function groupedEak(text: string): string {
  const at = text.indexOf(":") + 1;
  return `${text.slice(0, at)} ${text.slice(at).replace(/(.{4})/g, "$1 ")}`.trim();
}

export function emergencyKitContent(k: KitInfo): KitContent {
  const date = k.createdAt.toISOString().slice(0, 10);
  const folder = k.serverUrl.startsWith("folder ");
  return {
    heading: "Cryptex Emergency Kit",
    facts: [`Account e-mail: ${k.email}`, folder ? `Sync: ${k.serverUrl}` : `Server: ${k.serverUrl}`, `Created: ${date}`],
    keyLabel: "Encrypted Account Key (the text of the QR code):",
    key: groupedEak(k.eakText),
    steps: [
      "1. Print this page or keep it offline. Anyone with it AND your Account Password can open your vault.",
      "2. Never write your Account Password on this page.",
      folder
        ? `3. New device: cryptex signin --folder ${k.serverUrl.slice("folder ".length)} --email ${k.email} --qr THIS-FILE.png`
        : `3. New device: open ${k.serverUrl}, choose Sign in and show this QR code; or in a terminal: cryptex signin --server ${k.serverUrl} --email ${k.email} --qr THIS-FILE.png`,
      "   (or type the key text printed above instead of the QR code).",
      "4. This kit is only valid until you change your password: then save the new one the app shows you",
      "   (in a terminal: cryptex account qr --kit FILE.png).",
    ],
  };
}

/** The kit as plain text (the CLI writes it beside the PNG so the key can be copied, not typed). */
export function emergencyKitText(k: KitInfo): string {
  const c = emergencyKitContent(k);
  return [c.heading.toUpperCase(), "", ...c.facts, "", c.keyLabel, c.key, "", ...c.steps, ""].join("\n");
}
