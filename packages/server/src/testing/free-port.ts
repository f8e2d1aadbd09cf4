// A free TCP port for a test server, chosen below the kernel's ephemeral range (32768–60999 on Linux).
// A port the OS hands out for listen(0) comes from that range, which is also where every outgoing
// connection takes its source port: with Chromium, PostgreSQL and dozens of servers running at once, such a
// port was sometimes taken between being released here and the server's own listen(). A random port in
// 20000–32767 is never used as a source port, and a random pick makes two tests choosing the same one rare;
// it is checked free on all addresses (the server binds `::` unless HOST says otherwise).
import { createServer } from "node:net";

const LOW = 20_000;
const HIGH = 32_767;

function tryListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen(port, () => s.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW + 1));
    if (await tryListen(port)) return port;
  }
  throw new Error("no free port in 20000–32767");
}
