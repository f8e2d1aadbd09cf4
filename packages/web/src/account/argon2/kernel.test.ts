// kernel-wasm.ts is what wat2wasm makes of kernel-wat.ts today: nobody edited one without rebuilding the other.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { assembleKernel, kernelModuleSource } from "./build-kernel.ts";

test("the committed kernel bytes are wat2wasm's assembly of kernel-wat.ts", () => {
  const committed = readFileSync(new URL("./kernel-wasm.ts", import.meta.url), "utf8");
  assert.equal(committed, kernelModuleSource(assembleKernel()), "run node packages/web/src/account/argon2/build-kernel.ts");
});

test("the kernel is a valid module with SIMD and shared memory, exporting only fill_segment", () => {
  const bytes = new Uint8Array(
    Buffer.from(/"([A-Za-z0-9+/=]+)"/.exec(readFileSync(new URL("./kernel-wasm.ts", import.meta.url), "utf8"))![1]!, "base64"),
  );
  assert.ok(WebAssembly.validate(bytes));
  const m = new WebAssembly.Module(bytes);
  assert.deepEqual(
    WebAssembly.Module.exports(m).map((e) => e.name),
    ["fill_segment"],
  );
  assert.deepEqual(WebAssembly.Module.imports(m), [{ module: "env", name: "memory", kind: "memory" }]);
});
