// A tiny, strict validator for hostile JSON (server answers, decrypted items, files, requests).
// Hand-written on purpose: zod costs ~75 ms of import time here, more than the CLI's whole 50 ms budget
// for `get` (docs/decisions.md). Every shape bounds sizes; objects reject unknown keys.
import { CryptexError } from "../errors.ts";

export type Shape<T> = (value: unknown, path: string) => T;
export type Infer<S> = S extends Shape<infer T> ? T : never;

function fail(path: string, what: string): never {
  throw new CryptexError("invalid_input", `${path || "value"}: ${what}`);
}

export const str =
  (opts: { min?: number; max: number; pattern?: RegExp }): Shape<string> =>
  (v, p) => {
    if (typeof v !== "string") fail(p, "expected a string");
    if (v.length > opts.max) fail(p, `longer than ${opts.max} characters`);
    if (v.length < (opts.min ?? 0)) fail(p, `shorter than ${opts.min} characters`);
    if (opts.pattern && !opts.pattern.test(v)) fail(p, "has an invalid format");
    return v;
  };

export const int =
  (min: number, max: number): Shape<number> =>
  (v, p) => {
    if (typeof v !== "number" || !Number.isSafeInteger(v)) fail(p, "expected an integer");
    if (v < min || v > max) fail(p, `out of range ${min}..${max}`);
    return v;
  };

export const bool: Shape<boolean> = (v, p) => {
  if (typeof v !== "boolean") fail(p, "expected true or false");
  return v;
};

export const literal =
  <const T extends string | number | boolean>(value: T): Shape<T> =>
  (v, p) => {
    if (v !== value) fail(p, `expected ${JSON.stringify(value)}`);
    return value;
  };

export const oneOf =
  <const T extends string>(values: readonly T[]): Shape<T> =>
  (v, p) => {
    if (typeof v !== "string" || !(values as readonly string[]).includes(v)) fail(p, `expected one of ${values.join(", ")}`);
    return v as T;
  };

export const nullable =
  <T>(s: Shape<T>): Shape<T | null> =>
  (v, p) =>
    v === null ? null : s(v, p);

export const arr =
  <T>(of: Shape<T>, max: number): Shape<T[]> =>
  (v, p) => {
    if (!Array.isArray(v)) fail(p, "expected an array");
    if (v.length > max) fail(p, `more than ${max} entries`);
    return v.map((x, i) => of(x, `${p}[${i}]`));
  };

type Fields = Record<string, Shape<unknown>>;
type OptionalKeys<F extends Fields, O extends readonly string[]> = Extract<keyof F, O[number]>;
export type ObjOf<F extends Fields, O extends readonly string[] = []> = {
  [K in Exclude<keyof F, OptionalKeys<F, O>>]: Infer<F[K]>;
} & { [K in OptionalKeys<F, O>]?: Infer<F[K]> };

/** A strict object: unknown keys are an error; keys named in `optional` may be absent. */
export const obj =
  <F extends Fields, const O extends readonly string[] = []>(fields: F, optional?: O): Shape<ObjOf<F, O>> =>
  (v, p) => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) fail(p, "expected an object");
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) if (!Object.hasOwn(fields, k)) fail(p, `unknown field "${k.slice(0, 40)}"`);
    for (const [k, s] of Object.entries(fields)) {
      const x = (v as Record<string, unknown>)[k];
      if (x === undefined) {
        if (optional?.includes(k)) continue;
        fail(p ? `${p}.${k}` : k, "is required");
      }
      out[k] = s(x, p ? `${p}.${k}` : k);
    }
    return out as ObjOf<F, O>;
  };

export function parse<T>(shape: Shape<T>, value: unknown): T {
  return shape(value, "");
}

/** JSON.parse with a size bound, turning syntax errors into `invalid_input`. */
export function parseJson<T>(shape: Shape<T>, text: string, maxChars: number): T {
  if (text.length > maxChars) fail("", `larger than ${maxChars} characters`);
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    fail("", "is not valid JSON");
  }
  return shape(v, "");
}
