import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { hostOf } from "./url-host.ts";

test("hostOf: after the first ://, up to the first /, ? or #", () => {
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom(..."ab:/?#.x"), maxLength: 16 }), (url) => {
      const scheme = url.indexOf("://");
      assert.equal(hostOf(url), url.slice(scheme >= 0 ? scheme + 3 : 0).split(/[/?#]/)[0], url);
    }),
    { numRuns: 3000 },
  );
  assert.equal(hostOf("https://Example.com:8443/a?b#c"), "Example.com:8443");
  assert.equal(hostOf("example.com/login"), "example.com");
});
