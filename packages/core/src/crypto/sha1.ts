// SHA-1, only for the Pwned Passwords range API, whose protocol names passwords by their SHA-1 (not for security).
import { sha1 as nobleSha1 } from "@noble/hashes/legacy.js";

export const sha1 = (data: Uint8Array): Uint8Array => nobleSha1(data);
