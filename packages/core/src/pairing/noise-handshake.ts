// Noise NN / NNpsk0 with X25519, AES-256-GCM and SHA-256 (the Noise Protocol Framework, revision 34):
// the two-message handshake of device pairing and the transport ciphers it splits into. Bytes in, bytes out.
//   NNpsk0:  -> psk, e      <- e, ee
import { x25519 } from "@noble/curves/ed25519.js";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { importAesKey, openWithNonce, sealWithNonce } from "../crypto/aead.ts";
import { randomBytes } from "../crypto/random.ts";
import { concat, utf8 } from "../encoding/bytes.ts";
import { CryptexError } from "../errors.ts";

const DHLEN = 32;
const TAG = 16;
const EMPTY = new Uint8Array(0);
/** Noise's own bound on a message; pairing messages are far smaller. */
export const NOISE_MAX_MESSAGE = 65535;

const tampered = (): CryptexError => new CryptexError("tampered", "the pairing message failed to verify");

/** Noise HKDF: HMAC-SHA256 chained outputs (§4.3), two or three 32-byte keys. */
function noiseHkdf(ck: Uint8Array, ikm: Uint8Array, n: 2 | 3): Uint8Array[] {
  const temp = hmac(sha256, ck, ikm);
  const o1 = hmac(sha256, temp, Uint8Array.of(1));
  const o2 = hmac(sha256, temp, concat(o1, Uint8Array.of(2)));
  if (n === 2) return [o1, o2];
  return [o1, o2, hmac(sha256, temp, concat(o2, Uint8Array.of(3)))];
}

/** AESGCM nonce (§12.4): 32 zero bits, then the 64-bit counter big-endian. */
function nonceFor(n: number): Uint8Array {
  const out = new Uint8Array(12);
  new DataView(out.buffer).setBigUint64(4, BigInt(n), false);
  return out;
}

/** One direction of the transport: a key and a counter that only goes up. */
export class CipherState {
  readonly #key: CryptoKey;
  #n = 0;
  private constructor(key: CryptoKey) {
    this.#key = key;
  }
  static async create(raw: Uint8Array): Promise<CipherState> {
    return new CipherState(await importAesKey(raw));
  }
  async encrypt(ad: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array> {
    const sealed = await sealWithNonce(this.#key, nonceFor(this.#n), plaintext, ad);
    this.#n++;
    return sealed.subarray(12);
  }
  /** A failed message leaves the counter where it was: the caller must abort the whole session. */
  async decrypt(ad: Uint8Array, ciphertext: Uint8Array): Promise<Uint8Array> {
    if (ciphertext.length < TAG || ciphertext.length > NOISE_MAX_MESSAGE) throw tampered();
    const pt = await openWithNonce(this.#key, nonceFor(this.#n), ciphertext, ad).catch(() => {
      throw tampered();
    });
    this.#n++;
    return pt;
  }
}

export interface HandshakeOptions {
  readonly initiator: boolean;
  readonly prologue: Uint8Array;
  /** 32 bytes for NNpsk0; absent for plain NN (used only to check the implementation against vectors) */
  readonly psk?: Uint8Array;
  /** a fixed ephemeral private key, for known-answer tests only */
  readonly ephemeral?: Uint8Array;
}

export interface HandshakeResult {
  /** the handshake hash: both sides hold the same value, which binds everything said so far */
  readonly hash: Uint8Array;
  readonly send: CipherState;
  readonly receive: CipherState;
}

/** The handshake state of one side. Each method may be called once, in the pattern's order. */
export class NoiseHandshake {
  readonly #initiator: boolean;
  readonly #psk: Uint8Array | undefined;
  readonly #ePriv: Uint8Array;
  #h: Uint8Array;
  #ck: Uint8Array;
  #k: Uint8Array | undefined;
  #n = 0;
  #step = 0;

  constructor(opts: HandshakeOptions) {
    if (opts.psk !== undefined && opts.psk.length !== 32) throw new RangeError("the PSK must be 32 bytes");
    this.#initiator = opts.initiator;
    this.#psk = opts.psk;
    this.#ePriv = opts.ephemeral ?? randomBytes(32);
    const name = utf8(`Noise_${opts.psk ? "NNpsk0" : "NN"}_25519_AESGCM_SHA256`);
    const h = new Uint8Array(32);
    if (name.length <= 32) h.set(name);
    else h.set(sha256(name));
    this.#h = h;
    this.#ck = h;
    this.#mixHash(opts.prologue);
  }

  /** Initiator: first message (psk, e) with its payload. */
  async writeFirst(payload: Uint8Array): Promise<Uint8Array> {
    this.#expect(true, 0);
    if (this.#psk) this.#mixKeyAndHash(this.#psk);
    const e = this.#writeEphemeral();
    return concat(e, await this.#encryptAndHash(payload));
  }

  /** Responder: reads the first message, returns its payload. */
  async readFirst(message: Uint8Array): Promise<Uint8Array> {
    this.#expect(false, 0);
    if (message.length < DHLEN || message.length > NOISE_MAX_MESSAGE) throw tampered();
    if (this.#psk) this.#mixKeyAndHash(this.#psk);
    this.#readEphemeral(message.subarray(0, DHLEN));
    return this.#decryptAndHash(message.subarray(DHLEN));
  }

  /** Responder: second message (e, ee) with its payload; the handshake is then complete. */
  async writeSecond(payload: Uint8Array): Promise<{ message: Uint8Array; result: HandshakeResult }> {
    this.#expect(false, 1);
    const e = this.#writeEphemeral();
    this.#mixKey(this.#dh());
    const message = concat(e, await this.#encryptAndHash(payload));
    return { message, result: await this.#split() };
  }

  /** Initiator: reads the second message; returns its payload and the transport. */
  async readSecond(message: Uint8Array): Promise<{ payload: Uint8Array; result: HandshakeResult }> {
    this.#expect(true, 1);
    if (message.length < DHLEN || message.length > NOISE_MAX_MESSAGE) throw tampered();
    this.#readEphemeral(message.subarray(0, DHLEN));
    this.#mixKey(this.#dh());
    const payload = await this.#decryptAndHash(message.subarray(DHLEN));
    return { payload, result: await this.#split() };
  }

  #re: Uint8Array | undefined;

  #expect(initiator: boolean, step: number): void {
    if (this.#initiator !== initiator || this.#step !== step) throw new Error("Noise handshake step out of order");
    this.#step++;
  }

  #writeEphemeral(): Uint8Array {
    const pub = x25519.getPublicKey(this.#ePriv);
    this.#mixHash(pub);
    if (this.#psk) this.#mixKey(pub);
    return pub;
  }

  #readEphemeral(pub: Uint8Array): void {
    this.#re = pub.slice();
    this.#mixHash(this.#re);
    if (this.#psk) this.#mixKey(this.#re);
  }

  #dh(): Uint8Array {
    try {
      // noble refuses low-order points (an all-zero shared secret): a relay cannot force a known key.
      return x25519.getSharedSecret(this.#ePriv, this.#re!);
    } catch {
      throw tampered();
    }
  }

  #mixHash(data: Uint8Array): void {
    this.#h = sha256(concat(this.#h, data));
  }

  #mixKey(ikm: Uint8Array): void {
    const [ck, k] = noiseHkdf(this.#ck, ikm, 2);
    this.#ck = ck!;
    this.#k = k!;
    this.#n = 0;
  }

  #mixKeyAndHash(ikm: Uint8Array): void {
    const [ck, th, k] = noiseHkdf(this.#ck, ikm, 3);
    this.#ck = ck!;
    this.#mixHash(th!);
    this.#k = k!;
    this.#n = 0;
  }

  async #encryptAndHash(pt: Uint8Array): Promise<Uint8Array> {
    let ct = pt;
    if (this.#k) {
      const sealed = await sealWithNonce(await importAesKey(this.#k), nonceFor(this.#n++), pt, this.#h);
      ct = sealed.subarray(12);
    }
    this.#mixHash(ct);
    return ct;
  }

  async #decryptAndHash(ct: Uint8Array): Promise<Uint8Array> {
    let pt = ct;
    if (this.#k) {
      pt = await openWithNonce(await importAesKey(this.#k), nonceFor(this.#n), ct, this.#h).catch(() => {
        throw tampered();
      });
      this.#n++;
    }
    this.#mixHash(ct);
    return pt;
  }

  async #split(): Promise<HandshakeResult> {
    const [k1, k2] = noiseHkdf(this.#ck, EMPTY, 2);
    const c1 = await CipherState.create(k1!);
    const c2 = await CipherState.create(k2!);
    this.#ePriv.fill(0);
    return this.#initiator ? { hash: this.#h, send: c1, receive: c2 } : { hash: this.#h, send: c2, receive: c1 };
  }
}
