import assert from "node:assert/strict";
import { test } from "node:test";
import { type KeyPress, shortcutOf } from "./shortcut.ts";

const press = (key: string, over: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  typing: false,
  dialogOpen: false,
  ...over,
});

test("letters are shortcuts only outside text fields and without modifiers", () => {
  assert.equal(shortcutOf(press("n")), "new");
  assert.equal(shortcutOf(press("/")), "search");
  assert.equal(shortcutOf(press("?", { shiftKey: true })), "help");
  assert.equal(shortcutOf(press("c")), "copy-password");
  assert.equal(shortcutOf(press("u")), "copy-username");
  assert.equal(shortcutOf(press("e")), "edit");
  assert.equal(shortcutOf(press("n", { typing: true })), undefined);
  assert.equal(shortcutOf(press("c", { ctrlKey: true })), undefined, "Ctrl+C stays the browser's copy");
  assert.equal(shortcutOf(press("x")), undefined);
});

test("Ctrl/Cmd+L locks and Escape acts even in a text field; nothing acts under an open dialog", () => {
  assert.equal(shortcutOf(press("l", { ctrlKey: true, typing: true })), "lock");
  assert.equal(shortcutOf(press("L", { metaKey: true })), "lock");
  assert.equal(shortcutOf(press("l", { ctrlKey: true, shiftKey: true })), undefined);
  assert.equal(shortcutOf(press("Escape", { typing: true })), "escape");
  assert.equal(shortcutOf(press("Escape", { dialogOpen: true })), undefined);
  assert.equal(shortcutOf(press("n", { dialogOpen: true })), undefined);
});
