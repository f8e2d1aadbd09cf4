// The content script: holds no vault data. It reports which login fields a frame has (when the worker asks,
// after a user gesture), fills the values the worker sends to this frame, and notices submitted logins.
// It listens to no page messages: a page cannot drive it.
import type { ContentCommand } from "../shared/messages.ts";
import { findLoginFields, isVisible, waitForLoginFields } from "./detect.ts";
import { fillFields } from "./fill-fields.ts";

type Scope = typeof globalThis & { cryptexReport?: (nonce: string) => Promise<unknown> };
const scope = globalThis as Scope;

if (!scope.cryptexReport) {
  scope.cryptexReport = async (nonce: string) => {
    const seen = findLoginFields(document, () => true);
    if (!seen.username && !seen.password)
      return chrome.runtime.sendMessage({ type: "report", nonce, found: { username: false, password: false, otp: false }, visible: false });
    const f = await waitForLoginFields();
    const visible = !!(f.username || f.password);
    const found = visible ? f : seen;
    return chrome.runtime.sendMessage({
      type: "report",
      nonce,
      found: { username: !!found.username, password: !!found.password, otp: !!found.otp },
      visible,
    });
  };

  chrome.runtime.onMessage.addListener((msg: ContentCommand, sender, reply) => {
    // only our own worker can message a content script this way; a page has no channel to it
    if (sender.id !== chrome.runtime.id || msg?.type !== "fill") return false;
    const f = findLoginFields(document);
    // visibility is judged again at the moment of filling, and only visible fields are ever filled
    const pairs: [HTMLInputElement | undefined, string][] = [
      [f.username, msg.username],
      [f.password, msg.password],
      [f.otp, msg.otp],
    ];
    reply(fillFields(pairs.filter(([el]) => el && isVisible(el))));
    return false;
  });

  document.addEventListener(
    "submit",
    (ev) => {
      const form = ev.target;
      if (!(form instanceof HTMLFormElement)) return;
      const all = findLoginFields(document, (el) => el.form === form);
      const password = all.password?.value || all.newPassword?.value || "";
      if (!password) return;
      void chrome.runtime.sendMessage({ type: "submitted", username: all.username?.value ?? "", password }).catch(() => {});
    },
    true,
  );
}
