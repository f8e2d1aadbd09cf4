// Argon2id (RFC 9106, version 0x13) around the WebAssembly segment filler (kernel-wat.ts): H0, the first two
// blocks of each lane, the memory layout, and the final tag. The block matrix lives in one WebAssembly.Memory so
// that lane workers can share it; `fillInTurn` fills it in this thread (tests, and a reference for the workers).

import { concat } from "@cryptex/core/encoding/bytes.ts";
import type { Argon2idBackend } from "@cryptex/core/ports.ts";
import { blake2b } from "@noble/hashes/blake2.js";
import { KERNEL_WASM_BASE64 } from "./kernel-wasm.ts";

/** core's backend input, plus RFC 9106's associated data (core uses none; the RFC's test vector does) */
export type Argon2Input = Parameters<Argon2idBackend>[0] & { readonly ad?: Uint8Array };

const BLOCK = 1024;
/** per worker: a block for G, and the zero, input and address blocks of data-independent addressing */
const SCRATCH = 4 * BLOCK;
const PAGE = 65536;

export interface Layout {
  readonly lanes: number;
  readonly laneLen: number;
  readonly segLen: number;
  readonly passes: number;
  /** workers filling lanes at once; each has its own scratch */
  readonly workers: number;
  /** byte offset of the barrier's three i32 (count, generation, abort), after the scratch */
  readonly barrier: number;
  /** byte offset of one i32 per slice of each pass: the next lane to take in that slice */
  readonly claims: number;
  readonly pages: number;
}

export function layoutOf(params: { readonly m: number; readonly t: number; readonly p: number }, workers: number): Layout {
  const { m, t, p } = params;
  if (!(Number.isInteger(p) && p >= 1 && Number.isInteger(t) && t >= 1 && Number.isInteger(m) && m >= 8 * p)) {
    throw new RangeError("Argon2id parameters out of range");
  }
  const laneLen = 4 * Math.floor(m / (4 * p));
  const blocks = laneLen * p;
  const barrier = blocks * BLOCK + workers * SCRATCH;
  const claims = barrier + 12;
  return { lanes: p, laneLen, segLen: laneLen / 4, passes: t, workers, barrier, claims, pages: Math.ceil((claims + 16 * t) / PAGE) };
}

export const scratchOf = (layout: Layout, worker: number): number => layout.laneLen * layout.lanes * BLOCK + worker * SCRATCH;

function le32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
}

/** H' (RFC 9106 §3.3): BLAKE2b stretched to `length` bytes. */
export function hPrime(length: number, input: Uint8Array): Uint8Array {
  const x = concat(le32(length), input);
  if (length <= 64) return blake2b(x, { dkLen: length });
  const out = new Uint8Array(length);
  const r = Math.ceil(length / 32) - 2;
  let v = blake2b(x, { dkLen: 64 });
  out.set(v.subarray(0, 32), 0);
  for (let i = 1; i < r; i++) {
    v = blake2b(v, { dkLen: 64 });
    out.set(v.subarray(0, 32), i * 32);
  }
  out.set(blake2b(v, { dkLen: length - 32 * r }), 32 * r);
  return out;
}

/** H0, then B[i][0] = H'(H0 || 0 || i) and B[i][1] = H'(H0 || 1 || i) for each lane i. */
export function writeFirstBlocks(memory: Uint8Array, input: Argon2Input, layout: Layout): void {
  const { password, salt, params, length, secret, ad = new Uint8Array(0) } = input;
  const key = secret ?? new Uint8Array(0);
  const h0 = blake2b(
    concat(
      le32(params.p),
      le32(length),
      le32(params.m),
      le32(params.t),
      le32(0x13),
      le32(2), // Argon2id
      le32(password.length),
      password,
      le32(salt.length),
      salt,
      le32(key.length),
      key,
      le32(ad.length),
      ad,
    ),
    { dkLen: 64 },
  );
  for (let lane = 0; lane < layout.lanes; lane++) {
    for (const column of [0, 1]) {
      const seed = concat(h0, le32(column), le32(lane));
      const block = hPrime(BLOCK, seed);
      memory.set(block, (lane * layout.laneLen + column) * BLOCK);
      seed.fill(0);
      block.fill(0);
    }
  }
  h0.fill(0);
}

/** The tag: H' of the XOR of each lane's last block. */
export function finalTag(memory: Uint8Array, layout: Layout, length: number): Uint8Array {
  const c = new Uint8Array(BLOCK);
  for (let lane = 0; lane < layout.lanes; lane++) {
    const at = (lane * layout.laneLen + layout.laneLen - 1) * BLOCK;
    for (let i = 0; i < BLOCK; i++) c[i]! ^= memory[at + i]!;
  }
  const tag = hPrime(length, c);
  c.fill(0);
  return tag;
}

export interface Kernel {
  fill_segment(
    pass: number,
    lane: number,
    slice: number,
    lanes: number,
    laneLen: number,
    segLen: number,
    passes: number,
    scratch: number,
  ): void;
}

let compiled: Promise<WebAssembly.Module> | undefined;
/** The filler, compiled once (it needs WebAssembly SIMD and threads: shared memory). */
export function kernelModule(): Promise<WebAssembly.Module> {
  compiled ??= WebAssembly.compile(Uint8Array.from(atob(KERNEL_WASM_BASE64), (ch) => ch.charCodeAt(0)));
  return compiled;
}

export function kernelOf(module: WebAssembly.Module, memory: WebAssembly.Memory): Kernel {
  return new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as Kernel;
}

/** A shared memory for `layout` (shared so that lane workers can fill it together). */
export const memoryFor = (layout: Layout): WebAssembly.Memory =>
  new WebAssembly.Memory({ initial: layout.pages, maximum: layout.pages, shared: true });

/** One lane's segment of one slice of one pass, with `worker`'s scratch. */
export function fillSegment(kernel: Kernel, layout: Layout, pass: number, slice: number, lane: number, worker: number): void {
  kernel.fill_segment(pass, lane, slice, layout.lanes, layout.laneLen, layout.segLen, layout.passes, scratchOf(layout, worker));
}

/** The segments of `lanes` for one slice of one pass. */
export function fillSlice(kernel: Kernel, layout: Layout, pass: number, slice: number, lanes: readonly number[], worker: number): void {
  for (const lane of lanes) fillSegment(kernel, layout, pass, slice, lane, worker);
}

/** Argon2id in this thread, lanes one after another: the reference the parallel path must match. */
export async function argon2idInTurn(input: Argon2Input): Promise<Uint8Array> {
  const layout = layoutOf(input.params, 1);
  const memory = memoryFor(layout);
  const bytes = new Uint8Array(memory.buffer);
  try {
    writeFirstBlocks(bytes, input, layout);
    const kernel = kernelOf(await kernelModule(), memory);
    const all = Array.from({ length: layout.lanes }, (_, i) => i);
    for (let pass = 0; pass < layout.passes; pass++) {
      for (let slice = 0; slice < 4; slice++) fillSlice(kernel, layout, pass, slice, all, 0);
    }
    return finalTag(bytes, layout, input.length);
  } finally {
    bytes.fill(0); // the blocks are derived from the password
  }
}
