// Node's native Argon2id (OpenSSL, Node 24.7+) as core's Argon2id backend: the same output as the WASM default,
// about 3× faster on the CLI's unlock path. Older Node 24 releases keep the WASM default.
import * as crypto from "node:crypto";
import type { Argon2idBackend } from "@cryptex/core/ports.ts";

export const nativeArgon2id: Argon2idBackend = ({ password, salt, params, length, secret }) =>
  new Promise((resolve, reject) => {
    crypto.argon2(
      "argon2id",
      {
        message: password,
        nonce: salt,
        parallelism: params.p,
        tagLength: length,
        memory: params.m,
        passes: params.t,
        ...(secret ? { secret } : {}),
      },
      (err, key) => (err ? reject(err) : resolve(new Uint8Array(key.buffer, key.byteOffset, key.byteLength))),
    );
  });

export const hasNativeArgon2id = (): boolean => typeof crypto.argon2 === "function";
