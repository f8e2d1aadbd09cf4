// The store contract over the SQLite implementation, on a real file.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";
import { openSqliteStore } from "./sqlite.ts";
import { storeContract } from "./store-contract.ts";

const dir = mkdtempSync(join(tmpdir(), "cryptex-sqlite-"));
after(() => rmSync(dir, { recursive: true, force: true }));
storeContract("sqlite", async () => openSqliteStore(join(dir, "cryptex.db")));
