// Every size bound in one place: what an item may hold, what its ciphertext may weigh on the wire, and the
// sizes of requests and answers. The item schema, the wire schemas, the server's validators and the editors
// all read this object, so an item an editor accepts is one every server accepts.

const MIB = 1024 * 1024;
/** one item ciphertext on the wire, bytes (base64url: `itemData` characters) */
const ITEM_CIPHERTEXT = MIB;
const ATTACHMENT_BYTES = 256 * MIB;

export const LIMITS = Object.freeze({
  // ---- one item (plaintext) ----
  title: 512,
  fieldName: 128,
  fieldValue: 65536,
  fields: 256,
  notes: 262144,
  tags: 64,
  tag: 128,
  history: 100,
  /** saved versions an item may carry (the kept count is a setting, default 50; bytes bound them too) */
  versions: 500,
  /** a device's name as stamped on the versions it saves */
  deviceName: 100,
  /** a folder path ("Work/Dev") */
  folder: 1024,
  /** attachments on one item, and the bounds of each (docs/security.md "Attachments") */
  attachments: 64,
  attachmentName: 255,
  attachmentType: 127,
  /** one attachment's plaintext bytes */
  attachmentBytes: ATTACHMENT_BYTES,
  /** one attachment's sealed blob on the server: the file plus 28 bytes per 64 KiB chunk */
  attachmentBlob: ATTACHMENT_BYTES + Math.ceil(ATTACHMENT_BYTES / 65536) * 28,
  /**
   * one item as saved (its JSON, UTF-8 bytes): an item may not reach every per-part bound at once; this is
   * the bound that decides, with room left for the envelope so that its ciphertext fits `itemCiphertext`
   */
  itemBytes: ITEM_CIPHERTEXT - 1024,

  // ---- the wire ----
  itemCiphertext: ITEM_CIPHERTEXT,
  /** one item ciphertext, base64url characters */
  itemData: Math.ceil((ITEM_CIPHERTEXT * 4) / 3),
  /**
   * the largest item ciphertext a device still opens: above `itemCiphertext`, so items saved before that
   * bound existed stay readable (and exportable) on the device that holds them
   */
  itemCiphertextRead: 4 * MIB,
  pushBatch: 1000,
  pullPage: 1000,
  /** request body bytes */
  body: 24 * MIB,
  manifest: Math.ceil((16 * MIB * 4) / 3),
  /** the sealed sync profile, base64url characters (4 KiB of bytes) */
  syncProfile: Math.ceil((4096 * 4) / 3),
});
