// The home a command uses without --home or CRYPTEX_HOME: the platform's data folder. Its own module because the
// agent's client (agent/client.ts) resolves the home before anything else of the CLI is loaded.
import { homedir } from "node:os";
import { join } from "node:path";

/** XDG on Linux, Application Support on macOS, %APPDATA% on Windows. */
export function defaultHome(env: NodeJS.ProcessEnv): string {
  if (process.platform === "win32") return join(env.APPDATA ?? join(homedir(), "AppData", "Roaming"), "cryptex");
  // env.HOME first, as os.homedir() does on POSIX: an agent resolves a client's home from the client's environment
  const home = env.HOME || homedir();
  if (process.platform === "darwin") return join(home, "Library", "Application Support", "cryptex");
  return join(env.XDG_DATA_HOME || join(home, ".local", "share"), "cryptex");
}
