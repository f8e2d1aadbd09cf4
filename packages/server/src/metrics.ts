// Prometheus text metrics (GET /metrics): requests and latencies by route, sync volume, live connections,
// mail. Labels are route patterns and codes only — never ids, e-mails or tokens.

const BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class Metrics {
  readonly #counters = new Map<string, Map<string, number>>();
  readonly #help = new Map<string, string>();
  readonly #hist = new Map<string, { counts: number[]; sum: number; n: number }>();
  #liveConnections = 0;
  /** read when rendering: the pairing relay's open channels */
  pairChannels: () => number = () => 0;

  inc(name: string, labels: Record<string, string | number> = {}, by = 1): void {
    let m = this.#counters.get(name);
    if (!m) {
      m = new Map();
      this.#counters.set(name, m);
    }
    const key = Object.entries(labels)
      .map(([k, v]) => `${k}="${String(v).replace(/["\\\n]/g, "_")}"`)
      .join(",");
    m.set(key, (m.get(key) ?? 0) + by);
  }

  observe(route: string, seconds: number): void {
    let h = this.#hist.get(route);
    if (!h) {
      h = { counts: BUCKETS.map(() => 0), sum: 0, n: 0 };
      this.#hist.set(route, h);
    }
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]!) h.counts[i]!++;
    h.sum += seconds;
    h.n++;
  }

  liveConnections(delta: number): void {
    this.#liveConnections += delta;
  }

  render(): string {
    const out: string[] = [];
    const counterHelp: Record<string, string> = {
      cryptex_http_requests_total: "HTTP requests by method, route pattern and status",
      cryptex_sync_items_pushed_total: "item writes applied by pushes",
      cryptex_sync_items_pulled_total: "items sent by pulls",
      cryptex_sync_bytes_pushed_total: "item data bytes applied by pushes",
      cryptex_sync_bytes_pulled_total: "item data bytes sent by pulls",
      cryptex_sync_conflicts_total: "pushes answered with a conflict",
      cryptex_mail_total: "QR mails by transport and result",
      cryptex_live_events_total: "live events sent to streams",
      cryptex_auth_delayed_total: "auth calls slowed down by the global ceiling",
    };
    for (const [name, m] of this.#counters) {
      out.push(`# HELP ${name} ${counterHelp[name] ?? this.#help.get(name) ?? name}`, `# TYPE ${name} counter`);
      for (const [k, v] of m) out.push(`${name}${k ? `{${k}}` : ""} ${v}`);
    }
    out.push(
      "# HELP cryptex_http_request_duration_seconds request latency by route pattern",
      "# TYPE cryptex_http_request_duration_seconds histogram",
    );
    for (const [route, h] of this.#hist) {
      const r = `route="${route}"`;
      for (let i = 0; i < BUCKETS.length; i++)
        out.push(`cryptex_http_request_duration_seconds_bucket{${r},le="${BUCKETS[i]}"} ${h.counts[i]}`);
      out.push(`cryptex_http_request_duration_seconds_bucket{${r},le="+Inf"} ${h.n}`);
      out.push(`cryptex_http_request_duration_seconds_sum{${r}} ${h.sum}`, `cryptex_http_request_duration_seconds_count{${r}} ${h.n}`);
    }
    const mem = process.memoryUsage();
    out.push(
      "# HELP cryptex_live_connections open live-push (SSE) streams",
      "# TYPE cryptex_live_connections gauge",
      `cryptex_live_connections ${this.#liveConnections}`,
      "# HELP cryptex_pair_channels pairing relay channels held in memory",
      "# TYPE cryptex_pair_channels gauge",
      `cryptex_pair_channels ${this.pairChannels()}`,
      "# HELP process_resident_memory_bytes resident memory",
      "# TYPE process_resident_memory_bytes gauge",
      `process_resident_memory_bytes ${mem.rss}`,
      "# HELP nodejs_heap_used_bytes V8 heap in use",
      "# TYPE nodejs_heap_used_bytes gauge",
      `nodejs_heap_used_bytes ${mem.heapUsed}`,
    );
    return `${out.join("\n")}\n`;
  }
}
