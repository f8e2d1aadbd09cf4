import assert from "node:assert/strict";
import { test } from "node:test";
import { parseRoute, type Route, routeHash } from "./route.ts";

const ID = "0b7e2f0c-8a4d-4c1e-9f3a-2d5b6c7e8f90";

test("every route survives a round trip through its hash", () => {
  const routes: Route[] = [
    { screen: "list" },
    { screen: "item", id: ID },
    { screen: "edit", id: ID },
    { screen: "new" },
    { screen: "settings" },
    { screen: "security" },
    { screen: "generator" },
  ];
  for (const r of routes) assert.deepEqual(parseRoute(routeHash(r)), r);
});

test("anything else is the list: no id that is not an item id, no extra parts", () => {
  for (const h of [
    "",
    "#",
    "#/",
    "#/unlock",
    "#/item/x",
    `#/item/${ID}/delete`,
    "#/settings/x",
    `#/item/${ID.toUpperCase()}`,
    "#/<script>",
  ])
    assert.deepEqual(parseRoute(h), { screen: "list" }, h);
});
