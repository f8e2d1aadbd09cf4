// Text from a server (error messages, device names) printed to a terminal: control characters removed, so a
// hostile server cannot set the title, write the clipboard (OSC 52) or fake output with escape sequences.

// C0 controls but tab and newline, DEL, C1 controls (0x9b is a one-byte CSI), and the bidi overrides
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function stripControls(text: string): string {
  return text.replace(CONTROLS, "");
}

/** One line: newlines and tabs go too. */
export function oneLine(text: string): string {
  return stripControls(text).replace(/[\t\n]/g, " ");
}
