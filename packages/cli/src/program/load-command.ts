// Loads one command's module by its file name. The start-up bundle (startup/build-bundle.ts) puts
// startup/hot-commands.ts in this module's place, so the bundle holds only the commands it is made for.
import type { CommandRun } from "./spec.ts";

export const loadCommand = (file: string): Promise<{ run: CommandRun }> => import(`../commands/${file}.ts`);
