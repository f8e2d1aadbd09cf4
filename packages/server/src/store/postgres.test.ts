// The store contract over the PostgreSQL implementation, on a throw-away cluster.
import { after } from "node:test";
import { type RunningPostgres, startPostgres } from "../testing/postgres.ts";
import { openPostgresStore } from "./postgres.ts";
import { storeContract } from "./store-contract.ts";

let pg: RunningPostgres | undefined;
after(() => pg?.stop());
storeContract("postgres", async () => {
  pg = await startPostgres();
  return openPostgresStore(pg.url);
});
