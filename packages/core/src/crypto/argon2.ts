// Argon2id (RFC 9106). The default is hash-wasm's WebAssembly build, so it runs unchanged in Node and browsers;
// an app may install a faster implementation with the same output (the CLI installs Node's native
// `crypto.argon2`, about 3× faster) through `setArgon2idBackend`, a port like the store or the HTTP client.

export interface Argon2Params {
  /** memory in KiB */
  readonly m: number;
  readonly t: number;
  readonly p: number;
}

/** One Argon2id computation: exactly RFC 9106's inputs and output. */
export type Argon2idBackend = (input: {
  readonly password: Uint8Array;
  readonly salt: Uint8Array;
  readonly params: Argon2Params;
  readonly length: number;
  readonly secret?: Uint8Array;
}) => Promise<Uint8Array>;

const wasmBackend: Argon2idBackend = async ({ password, salt, params, length, secret }) => {
  const { argon2id: wasm } = await import("hash-wasm");
  return wasm({
    password,
    salt,
    ...(secret ? { secret } : {}),
    iterations: params.t,
    parallelism: params.p,
    memorySize: params.m,
    hashLength: length,
    outputType: "binary",
  });
};

let backend: Argon2idBackend = wasmBackend;

/** Installs another implementation (tests prove it equal to the WASM one); `undefined` restores the default. */
export function setArgon2idBackend(next: Argon2idBackend | undefined): void {
  backend = next ?? wasmBackend;
}

export async function argon2id(
  password: Uint8Array,
  salt: Uint8Array,
  params: Argon2Params,
  length = 32,
  secret?: Uint8Array,
): Promise<Uint8Array> {
  return backend({ password, salt, params, length, ...(secret ? { secret } : {}) });
}
