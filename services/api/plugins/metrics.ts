// Prometheus text exposition at /metrics (public, like any scrape target on
// the LAN; it shows counts and timings, no data). Requests are counted by
// route pattern, never by raw URL, so ids in paths do not explode the series.
import type { FastifyInstance } from 'fastify';
import { healthSql } from '../queries/health.ts';
import { shared } from '../types.ts';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

interface Series {
  count: number;
  sum: number;
  buckets: number[];
}

export class RequestMetrics {
  private readonly totals = new Map<string, number>();
  private readonly latency = new Map<string, Series>();

  observe(method: string, route: string, status: number, seconds: number): void {
    const total = `method="${method}",route="${escape(route)}",status="${status}"`;
    this.totals.set(total, (this.totals.get(total) ?? 0) + 1);
    const key = `method="${method}",route="${escape(route)}"`;
    let s = this.latency.get(key);
    if (!s) this.latency.set(key, (s = { count: 0, sum: 0, buckets: BUCKETS.map(() => 0) }));
    s.count++;
    s.sum += seconds;
    BUCKETS.forEach((b, i) => {
      if (seconds <= b) s.buckets[i]!++;
    });
  }

  render(): string[] {
    const out = ['# HELP http_requests_total Requests answered, by route pattern and status.', '# TYPE http_requests_total counter'];
    for (const [labels, n] of this.totals) out.push(`http_requests_total{${labels}} ${n}`);
    out.push('# HELP http_request_duration_seconds Time to answer, by route pattern.', '# TYPE http_request_duration_seconds histogram');
    for (const [labels, s] of this.latency) {
      BUCKETS.forEach((b, i) => out.push(`http_request_duration_seconds_bucket{${labels},le="${b}"} ${s.buckets[i]}`));
      out.push(`http_request_duration_seconds_bucket{${labels},le="+Inf"} ${s.count}`);
      out.push(`http_request_duration_seconds_sum{${labels}} ${s.sum}`, `http_request_duration_seconds_count{${labels}} ${s.count}`);
    }
    return out;
  }
}

function escape(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

async function gauge(app: FastifyInstance, name: string, help: string, label: string, query: { text: string; values: unknown[] }): Promise<string[]> {
  const out = [`# HELP ${name} ${help}`, `# TYPE ${name} gauge`];
  try {
    const { rows } = await app.deps.pool.query<{ status: string; n: number }>(query);
    for (const r of rows) out.push(`${name}{${label}="${escape(r.status)}"} ${r.n}`);
  } catch (err) {
    // A scrape during a database outage still answers, with what it knows.
    app.log.warn({ err, metric: name }, 'metrics gauge unavailable');
  }
  return out;
}

async function metricsPlugin(app: FastifyInstance): Promise<void> {
  const metrics = new RequestMetrics();
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observe(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { config: { access: 'public', rateLimit: false }, schema: { hide: true } }, async (_request, reply) => {
    const lines = [
      ...metrics.render(),
      ...(await gauge(app, 'crosswatch_windows', 'Windows by processing status.', 'status', healthSql.windowsByStatus())),
      ...(await gauge(app, 'crosswatch_violations', 'Violations by review status.', 'review_status', healthSql.violationsByReview())),
      ...(await gauge(app, 'crosswatch_api_keys_active', 'Usable API keys by role.', 'role', healthSql.activeKeys())),
      '# HELP crosswatch_db_pool_connections Database pool connections.',
      '# TYPE crosswatch_db_pool_connections gauge',
      `crosswatch_db_pool_connections{state="total"} ${app.deps.pool.totalCount}`,
      `crosswatch_db_pool_connections{state="idle"} ${app.deps.pool.idleCount}`,
      `crosswatch_db_pool_connections{state="waiting"} ${app.deps.pool.waitingCount}`,
    ];
    return reply.type('text/plain; version=0.0.4; charset=utf-8').send(lines.join('\n') + '\n');
  });
}

export default shared(metricsPlugin, 'crosswatch-metrics');
