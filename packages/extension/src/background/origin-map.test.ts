// The origin map: exact origins, the http login on its https upgrade, same-site candidates, trash and other types left out.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { IndexEntry, ItemId } from "@cryptex/core";
import { OriginMap } from "./origin-map.ts";

const entry = (id: string, urls: string[], more: Partial<IndexEntry> = {}): IndexEntry =>
  ({
    id: id as ItemId,
    type: "login",
    title: id,
    subtitle: "",
    urls,
    tags: [],
    favorite: false,
    trashed: false,
    updatedAt: 1,
    rev: 1,
    ...more,
  }) as IndexEntry;

test("origin map finds exact origins first and same-site candidates after", () => {
  const map = new OriginMap([
    entry("a", ["https://example.com/login", "example.com/other"]),
    entry("b", ["https://accounts.example.com"]),
    entry("c", ["http://example.com"]),
    entry("d", ["https://example.com"], { trashed: true }),
    entry("e", ["https://example.com"], { type: "secure-note" }),
    entry("f", ["https://example.com:8443"]),
  ]);
  assert.deepEqual(map.lookup("https://example.com/signin"), { exact: ["a", "c"], site: ["b", "f"] });
  assert.deepEqual(map.lookup("https://blog.example.com/"), { exact: [], site: ["a", "b", "c", "f"] });
  assert.deepEqual(map.lookup("https://other.org/"), { exact: [], site: [] });
  assert.deepEqual(map.lookup("not a url"), { exact: [], site: [] });
});

test("the fast key path agrees with the URL parser", () => {
  const urls = [
    "https://Example.COM:443/x",
    "https://example.com:8443",
    "http://example.com:80/",
    "HTTPS://a.b.example.co.uk/path?q#h",
    "https://alice.github.io/",
    "https://bücher.de/",
    "https://user:pw@example.com/",
    "https://127.0.0.1:8080/",
    "http://localhost:3000",
    "https://example.com./",
    "example.com",
  ];
  for (const u of urls) {
    const id = "x" as ItemId;
    const map = new OriginMap([entry(id, [u])]);
    const page = new URL(u.includes("://") ? u : `https://${u}`).href;
    assert.deepEqual(map.lookup(page).exact, [id], u);
  }
});

test("origin map bounds the same-site candidates of a crowded site", () => {
  const many = Array.from({ length: 50_000 }, (_, i) => entry(`id${i}`, [`https://host${i}.example.com/`]));
  const map = new OriginMap(many);
  assert.equal(map.lookup("https://www.example.com/").site.length, 20);
  assert.equal(map.lookup("https://www.example.com/", 3).site.length, 3);
  assert.deepEqual(map.lookup("https://host7.example.com/").exact, ["id7"]);
});
