// What request handlers share: configuration, the store and the long-lived services, as one named object.

import type { RateLimiter } from "./auth/rate-limit.ts";
import type { BlobFiles } from "./blobs/blob-files.ts";
import type { Config } from "./config.ts";
import type { LiveHub } from "./live/hub.ts";
import type { Logger } from "./log.ts";
import type { Mailer } from "./mail/mailer.ts";
import type { Metrics } from "./metrics.ts";
import type { PairRelay } from "./pair/relay.ts";
import type { Store } from "./store/store.ts";

export interface Deps {
  readonly config: Config;
  readonly store: Store;
  /** attachment blob bytes under DATA_DIR */
  readonly blobs: BlobFiles;
  readonly mailer: Mailer;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly hub: LiveHub;
  readonly pairRelay: PairRelay;
  readonly limiter: RateLimiter;
  /** the server secret (fake account ids) */
  readonly secret: Uint8Array;
  readonly now: () => number;
}
