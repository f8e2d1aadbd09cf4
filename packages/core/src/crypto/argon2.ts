// Argon2id (RFC 9106) through hash-wasm's WebAssembly build, so it runs unchanged in Node and browsers.
import { argon2id as wasmArgon2id } from "hash-wasm";

export interface Argon2Params {
  /** memory in KiB */
  readonly m: number;
  readonly t: number;
  readonly p: number;
}

export async function argon2id(
  password: Uint8Array,
  salt: Uint8Array,
  params: Argon2Params,
  length = 32,
  secret?: Uint8Array,
): Promise<Uint8Array> {
  return wasmArgon2id({
    password,
    salt,
    ...(secret ? { secret } : {}),
    iterations: params.t,
    parallelism: params.p,
    memorySize: params.m,
    hashLength: length,
    outputType: "binary",
  });
}
