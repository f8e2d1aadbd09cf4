import assert from "node:assert/strict";
import { test } from "node:test";
import { createItem, editItem, normaliseUrl } from "./item.ts";

test("a bare host becomes an https URL; a value with a scheme is kept", () => {
  assert.equal(normaliseUrl("github.com"), "https://github.com");
  assert.equal(normaliseUrl("  github.com/login "), "https://github.com/login");
  assert.equal(normaliseUrl("localhost:3000"), "https://localhost:3000");
  assert.equal(normaliseUrl("//example.org"), "https://example.org");
  assert.equal(normaliseUrl("http://intranet"), "http://intranet");
  assert.equal(normaliseUrl("HTTPS://GitHub.com"), "HTTPS://GitHub.com");
  assert.equal(normaliseUrl("mailto:a@b.c"), "mailto:a@b.c");
  assert.equal(normaliseUrl("not an address"), "not an address");
  assert.equal(normaliseUrl(""), "");
});

test("items store the website of a bare host as https, on create and on edit", () => {
  const item = createItem({ type: "login", title: "GitHub", fields: { url: "github.com", username: "github.com" } });
  assert.equal(item.fields.find((f) => f.name === "url")?.value, "https://github.com");
  assert.equal(item.fields.find((f) => f.name === "username")?.value, "github.com");
  const edited = editItem(item, { fields: { url: "gitlab.com" } });
  assert.equal(edited.fields.find((f) => f.name === "url")?.value, "https://gitlab.com");
  const unchanged = editItem(item, { fields: { url: "github.com" } });
  assert.equal(unchanged.fields.find((f) => f.name === "url")?.value, "https://github.com");
});
