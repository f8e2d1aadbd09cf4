// The Node flags every shipped launcher starts the server with: `npm start` (scripts/start.ts), deploy/Dockerfile,
// deploy/cryptex.service, and the test and bench harness (testing/start-server.ts), so that what the benches
// measure is what is deployed. node-flags.test.ts fails when a launcher's command line drifts from this list.
//
// --max-semi-space-size: Node 24's V8 lets each of the young generation's two semi-spaces grow to 64 MB (here, with
// a 4 GB heap limit) under a burst of allocation (10,000 live streams opened at once, a busy minute) and keeps
// them for seconds to minutes: up to 128 MB of resident memory for short-lived objects. Capped at 8 MB a
// semi-space, the young generation stays within 16 MB; what that costs in CPU and throughput is measured in
// docs/performance.md ("Young generation").
export const SERVER_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=8"];
