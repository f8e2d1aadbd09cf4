// The commands of the start-up bundle: the read commands a script runs many times, where Node's module
// loading is most of the time. bin/cryptex.js runs every other command from the sources.
import type { CommandRun } from "../program/spec.ts";

export const HOT_COMMANDS = ["get", "list", "search", "totp"] as const;

export function loadCommand(file: string): Promise<{ run: CommandRun }> {
  switch (file) {
    case "get":
      return import("../commands/get.ts");
    case "list":
      return import("../commands/list.ts");
    case "search":
      return import("../commands/search.ts");
    case "totp":
      return import("../commands/totp.ts");
  }
  // bin/cryptex.js sends only HOT_COMMANDS here: reaching this is a launcher bug, not a user error
  return Promise.reject(new Error(`cryptex: the start-up bundle has no command "${file}"`));
}
