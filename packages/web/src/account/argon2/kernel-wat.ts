// The WebAssembly text of the Argon2id segment filler (RFC 9106 §3.2-3.4, version 0x13), written by this small
// generator because its compression function is 16 unrolled rounds of the same SIMD code. `build-kernel.ts`
// assembles it with wat2wasm into kernel-wasm.ts; kernel.test.ts checks the two agree.
//
// The module imports one (shared) memory holding the whole Argon2 block matrix, lane after lane, and exports
// `fill_segment`: one lane's part of one slice of one pass. Lanes of a slice may run at the same time in different
// workers (they only read blocks of finished slices or their own lane), so a caller synchronises at slice ends.
//
// A 1 KiB block is 128 u64 words = 64 v128. BlaMka's permutation P works on 16 words as 8 v128 of two words each:
// A0=(w0,w1) A1=(w2,w3) B0=(w4,w5) B1=(w6,w7) C0 C1 D0 D1, so one G call mixes two columns of the 4×4 state at once.

/** shuffles of i8x16 bytes (0-15 from the first operand, 16-31 from the second) */
const ROTR32 = "4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11";
const ROTR24 = "3 4 5 6 7 0 1 2 11 12 13 14 15 8 9 10";
const ROTR16 = "2 3 4 5 6 7 0 1 10 11 12 13 14 15 8 9";
/** (x.hi, y.lo): the diagonal step of P moves words between the two halves of a row */
const HI_LO = "8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23";
/** the low 32 bits of each u64 (i32 lanes 0 and 2) into i32 lanes 0 and 1, for extmul_low */
const LOW32 = "0 1 2 3 8 9 10 11 0 1 2 3 8 9 10 11";

const get = (x: string) => `(local.get $${x})`;

/** x + y + 2·lo(x)·lo(y), BlaMka's multiplication-hardened addition, on both u64 lanes */
const blamka = (x: string, y: string) =>
  `(i64x2.add (i64x2.add ${get(x)} ${get(y)}) (i64x2.shl (i64x2.extmul_low_i32x4_u (i8x16.shuffle ${LOW32} ${get(x)} ${get(x)}) (i8x16.shuffle ${LOW32} ${get(y)} ${get(y)})) (i32.const 1)))`;

const rot = (pattern: string, x: string) => `(i8x16.shuffle ${pattern} ${x} ${x})`;

/** RFC 9106 §3.6's GB on two columns at once: (a, b, c, d) are v128 locals */
function gb(a: string, b: string, c: string, d: string): string {
  const xor = (x: string, y: string) => `(v128.xor ${get(x)} ${get(y)})`;
  return [
    `(local.set $${a} ${blamka(a, b)})`,
    `(local.set $${d} ${rot(ROTR32, xor(d, a))})`,
    `(local.set $${c} ${blamka(c, d)})`,
    `(local.set $${b} ${rot(ROTR24, xor(b, c))})`,
    `(local.set $${a} ${blamka(a, b)})`,
    `(local.set $${d} ${rot(ROTR16, xor(d, a))})`,
    `(local.set $${c} ${blamka(c, d)})`,
    // rotr 63 = rotl 1
    `(local.set $t0 ${xor(b, c)})`,
    `(local.set $${b} (v128.or (i64x2.add ${get("t0")} ${get("t0")}) (i64x2.shr_u ${get("t0")} (i32.const 63))))`,
  ].join("\n    ");
}

const REGS = ["a0", "a1", "b0", "b1", "c0", "c1", "d0", "d1"] as const;

/** P on 8 v128: `load(i)` gives the i-th register's value; the results go to $r at `offsets` (a row: 16
 * contiguous words; a column: two words of each row) */
function permute(offsets: readonly number[], load: (offset: number) => string): string {
  const hiLo = (x: string, y: string) => `(i8x16.shuffle ${HI_LO} ${get(x)} ${get(y)})`;
  return [
    ...REGS.map((reg, i) => `(local.set $${reg} ${load(offsets[i]!)})`),
    gb("a0", "b0", "c0", "d0"),
    gb("a1", "b1", "c1", "d1"),
    // diagonalise: (w5,w6)(w7,w4), swap the C halves, (w15,w12)(w13,w14)
    `(local.set $t1 ${hiLo("b0", "b1")}) (local.set $b1 ${hiLo("b1", "b0")}) (local.set $b0 (local.get $t1))`,
    "(local.set $t1 (local.get $c0)) (local.set $c0 (local.get $c1)) (local.set $c1 (local.get $t1))",
    `(local.set $t1 ${hiLo("d1", "d0")}) (local.set $d1 ${hiLo("d0", "d1")}) (local.set $d0 (local.get $t1))`,
    gb("a0", "b0", "c0", "d0"),
    gb("a1", "b1", "c1", "d1"),
    // and back
    `(local.set $t1 ${hiLo("b1", "b0")}) (local.set $b1 ${hiLo("b0", "b1")}) (local.set $b0 (local.get $t1))`,
    "(local.set $t1 (local.get $c0)) (local.set $c0 (local.get $c1)) (local.set $c1 (local.get $t1))",
    `(local.set $t1 ${hiLo("d0", "d1")}) (local.set $d1 ${hiLo("d1", "d0")}) (local.set $d0 (local.get $t1))`,
    ...REGS.map((reg, i) => `(v128.store offset=${offsets[i]} (local.get $r) (local.get $${reg}))`),
  ].join("\n    ");
}

const load = (base: string) => (offset: number) => `(v128.load offset=${offset} (local.get $${base}))`;
const OFFSETS = Array.from({ length: 64 }, (_, i) => i * 16);

function compressBody(): string {
  const rounds: string[] = [];
  // rows of R = prev ^ ref, read straight from the two blocks
  const xorLoad = (offset: number) => `(v128.xor ${load("prev")(offset)} ${load("ref")(offset)})`;
  for (let row = 0; row < 8; row++)
    rounds.push(
      permute(
        REGS.map((_, k) => row * 128 + k * 16),
        xorLoad,
      ),
    );
  for (let col = 0; col < 8; col++)
    rounds.push(
      permute(
        REGS.map((_, k) => col * 16 + k * 128),
        load("r"),
      ),
    );
  return rounds.join("\n    ");
}

/** dst = P(R) ^ prev ^ ref, and ^ dst's old value when `xor` (prev ^ ref is R again) */
function compressOut(xor: boolean): string {
  return OFFSETS.map((o) => {
    const z = `(v128.xor (v128.xor ${load("r")(o)} ${load("prev")(o)}) ${load("ref")(o)})`;
    return `(v128.store offset=${o} (local.get $dst) ${xor ? `(v128.xor ${z} ${load("dst")(o)})` : z})`;
  }).join("\n      ");
}

export function kernelWat(): string {
  return `;; Generated by packages/web/src/account/argon2/kernel-wat.ts: edit that file, then run build-kernel.ts.
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; G (RFC 9106 §3.5): dst = P(prev ^ ref) ^ (prev ^ ref), XORed into dst's old value when $xor (passes after
  ;; the first, version 0x13). $r is a scratch block of the caller. dst may equal prev or ref: each 16 bytes of
  ;; dst are written after the last read of the same bytes of prev and ref.
  (func $compress (param $prev i32) (param $ref i32) (param $dst i32) (param $xor i32) (param $r i32)
    (local $a0 v128) (local $a1 v128) (local $b0 v128) (local $b1 v128)
    (local $c0 v128) (local $c1 v128) (local $d0 v128) (local $d1 v128) (local $t0 v128) (local $t1 v128)
    ;; P on the eight rows of prev ^ ref into r, then on r's eight columns
    ${compressBody()}
    (if (local.get $xor)
      (then
      ${compressOut(true)})
      (else
      ${compressOut(false)})))

  ;; The next block of 128 pseudo-random references for data-independent addressing: counter++, then
  ;; addresses = G(0, G(0, input)). Scratch: r, zero, input, addresses (four blocks from $s).
  (func $next_addresses (param $s i32)
    (i64.store offset=${2 * 1024 + 48} (local.get $s) (i64.add (i64.load offset=${2 * 1024 + 48} (local.get $s)) (i64.const 1)))
    (call $compress (i32.add (local.get $s) (i32.const 1024)) (i32.add (local.get $s) (i32.const ${2 * 1024}))
      (i32.add (local.get $s) (i32.const ${3 * 1024})) (i32.const 0) (local.get $s))
    (call $compress (i32.add (local.get $s) (i32.const 1024)) (i32.add (local.get $s) (i32.const ${3 * 1024}))
      (i32.add (local.get $s) (i32.const ${3 * 1024})) (i32.const 0) (local.get $s)))

  ;; One lane's segment of one slice (RFC 9106 §3.4, the reference implementation's fill_segment for Argon2id).
  ;; Blocks are at 1024·(lane·laneLen + column) from address 0; $s is this caller's 4 KiB of scratch.
  (func (export "fill_segment") (param $pass i32) (param $lane i32) (param $slice i32) (param $lanes i32)
      (param $laneLen i32) (param $segLen i32) (param $passes i32) (param $s i32)
    (local $indep i32) (local $i i32) (local $curr i32) (local $prev i32) (local $rand i64) (local $refLane i32)
    (local $area i64) (local $rel i64) (local $start i32) (local $refIndex i32) (local $k i32)
    ;; Argon2id: data-independent addressing in the first half of the first pass
    (local.set $indep (i32.and (i32.eqz (local.get $pass)) (i32.lt_u (local.get $slice) (i32.const 2))))
    (if (local.get $indep) (then
      ;; zero block and input block (pass, lane, slice, m', t, type 2, counter 0, then zeros)
      (loop $zero
        (v128.store (i32.add (i32.add (local.get $s) (i32.const 1024)) (local.get $k)) (v128.const i64x2 0 0))
        (br_if $zero (i32.ne (local.tee $k (i32.add (local.get $k) (i32.const 16))) (i32.const 2048))))
      (i64.store offset=${2 * 1024} (local.get $s) (i64.extend_i32_u (local.get $pass)))
      (i64.store offset=${2 * 1024 + 8} (local.get $s) (i64.extend_i32_u (local.get $lane)))
      (i64.store offset=${2 * 1024 + 16} (local.get $s) (i64.extend_i32_u (local.get $slice)))
      (i64.store offset=${2 * 1024 + 24} (local.get $s) (i64.mul (i64.extend_i32_u (local.get $lanes)) (i64.extend_i32_u (local.get $laneLen))))
      (i64.store offset=${2 * 1024 + 32} (local.get $s) (i64.extend_i32_u (local.get $passes)))
      (i64.store offset=${2 * 1024 + 40} (local.get $s) (i64.const 2))))
    ;; the first two blocks of each lane are made from H0 by the caller
    (if (i32.and (i32.eqz (local.get $pass)) (i32.eqz (local.get $slice))) (then
      (local.set $i (i32.const 2))
      (if (local.get $indep) (then (call $next_addresses (local.get $s))))))
    (local.set $curr (i32.add (i32.mul (local.get $lane) (local.get $laneLen))
      (i32.add (i32.mul (local.get $slice) (local.get $segLen)) (local.get $i))))
    (local.set $prev (if (result i32) (i32.rem_u (local.get $curr) (local.get $laneLen))
      (then (i32.sub (local.get $curr) (i32.const 1)))
      (else (i32.sub (i32.add (local.get $curr) (local.get $laneLen)) (i32.const 1)))))
    (block $done (loop $blocks
      (br_if $done (i32.ge_u (local.get $i) (local.get $segLen)))
      (if (i32.eq (i32.rem_u (local.get $curr) (local.get $laneLen)) (i32.const 1))
        (then (local.set $prev (i32.sub (local.get $curr) (i32.const 1)))))
      ;; J1 (low 32 bits) and J2 (high 32 bits)
      (if (local.get $indep)
        (then
          (if (i32.eqz (i32.and (local.get $i) (i32.const 127))) (then (call $next_addresses (local.get $s))))
          (local.set $rand (i64.load offset=${3 * 1024}
            (i32.add (local.get $s) (i32.shl (i32.and (local.get $i) (i32.const 127)) (i32.const 3))))))
        (else (local.set $rand (i64.load (i32.shl (local.get $prev) (i32.const 10))))))
      (local.set $refLane (if (result i32) (i32.and (i32.eqz (local.get $pass)) (i32.eqz (local.get $slice)))
        (then (local.get $lane))
        (else (i32.wrap_i64 (i64.rem_u (i64.shr_u (local.get $rand) (i64.const 32)) (i64.extend_i32_u (local.get $lanes)))))))
      ;; the reference area: blocks finished in this lane, or in the other lanes' finished slices
      (local.set $area (i64.extend_i32_u
        (if (result i32) (i32.eqz (local.get $pass))
          (then
            (if (result i32) (i32.eqz (local.get $slice))
              (then (i32.sub (local.get $i) (i32.const 1)))
              (else (if (result i32) (i32.eq (local.get $refLane) (local.get $lane))
                (then (i32.sub (i32.add (i32.mul (local.get $slice) (local.get $segLen)) (local.get $i)) (i32.const 1)))
                (else (i32.sub (i32.mul (local.get $slice) (local.get $segLen)) (i32.eqz (local.get $i))))))))
          (else
            (if (result i32) (i32.eq (local.get $refLane) (local.get $lane))
              (then (i32.sub (i32.add (i32.sub (local.get $laneLen) (local.get $segLen)) (local.get $i)) (i32.const 1)))
              (else (i32.sub (i32.sub (local.get $laneLen) (local.get $segLen)) (i32.eqz (local.get $i)))))))))
      ;; rel = area - 1 - (area · (J1² >> 32) >> 32)
      (local.set $rel (i64.and (local.get $rand) (i64.const 0xffffffff)))
      (local.set $rel (i64.shr_u (i64.mul (local.get $rel) (local.get $rel)) (i64.const 32)))
      (local.set $rel (i64.sub (i64.sub (local.get $area) (i64.const 1))
        (i64.shr_u (i64.mul (local.get $area) (local.get $rel)) (i64.const 32))))
      (local.set $start (if (result i32) (i32.or (i32.eqz (local.get $pass)) (i32.eq (local.get $slice) (i32.const 3)))
        (then (i32.const 0))
        (else (i32.mul (i32.add (local.get $slice) (i32.const 1)) (local.get $segLen)))))
      (local.set $refIndex (i32.wrap_i64 (i64.rem_u (i64.add (i64.extend_i32_u (local.get $start)) (local.get $rel))
        (i64.extend_i32_u (local.get $laneLen)))))
      (call $compress
        (i32.shl (local.get $prev) (i32.const 10))
        (i32.shl (i32.add (i32.mul (local.get $refLane) (local.get $laneLen)) (local.get $refIndex)) (i32.const 10))
        (i32.shl (local.get $curr) (i32.const 10))
        (i32.ne (local.get $pass) (i32.const 0))
        (local.get $s))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (local.set $curr (i32.add (local.get $curr) (i32.const 1)))
      (local.set $prev (i32.add (local.get $prev) (i32.const 1)))
      (br $blocks))))
)
`;
}
