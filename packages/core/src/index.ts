// Public API of @cryptex/core. Heavy modules (password strength dictionaries, QR images) are imported by
// their own paths ("@cryptex/core/password-strength.ts", "@cryptex/core/formats/qr.ts") so that the
// unlock path of a CLI or page does not pay for them.

export * from "./attachments/attachment.ts";
export * from "./attachments/attachment-stream.ts";
export { createPairRelayClient } from "./client/pair-relay-client.ts";
export { type SigningKeyPair, verifySignature } from "./crypto/ed25519.ts";
export { randomBytes } from "./crypto/random.ts";
export { sha256 } from "./crypto/sha256.ts";
export * from "./encoding/base32.ts";
export * from "./encoding/base64.ts";
export * from "./encoding/bytes.ts";
export * from "./errors.ts";
export * from "./formats/eak.ts";
export * from "./formats/item-envelope.ts";
export * from "./formats/server-token.ts";
export * from "./formats/vault-index.ts";
export * from "./formats/verifier.ts";
export * from "./formats/wrapped-eak.ts";
export * from "./keys/account-key.ts";
export * from "./keys/auth-key.ts";
export * from "./keys/derive.ts";
export * from "./keys/guess-time.ts";
export * from "./keys/ids.ts";
export * from "./keys/kdf.ts";
export * from "./pairing/device-pairing.ts";
export * from "./pairing/pair-relay.ts";
export * from "./pairing/pairing-channel.ts";
export * from "./pairing/pairing-code.ts";
export * from "./ports.ts";
export * from "./schema/shape.ts";
export * from "./vault/compare-titles.ts";
export * from "./vault/item.ts";
export * from "./vault/item-versions.ts";
export * from "./vault/search.ts";
export * from "./vault/templates.ts";
export * from "./vault/version-diff.ts";
