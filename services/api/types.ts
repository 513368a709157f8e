// What the API adds to Fastify's types, and the helper that makes a plugin's
// hooks and decorators apply to the whole app (what fastify-plugin does).
import type { FastifyPluginAsync } from 'fastify';
import type pg from 'pg';
import type PgBoss from 'pg-boss';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Access, Role } from './access.ts';

export interface AppDeps {
  pool: pg.Pool;
  config: Config;
  log: Logger;
  /** Opens pg-boss on the same database, for routes that queue runs; without it they answer 503. */
  openQueue?: () => Promise<PgBoss>;
}

export interface Principal {
  keyId: string;
  name: string;
  role: Role;
}

export interface RouteInfo {
  method: string;
  url: string;
  access: Access;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The least role a route needs; every /api route must say. */
    access?: Access;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    deps: AppDeps;
    /** pg-boss, opened on first use (plugins/queue.ts). */
    queue(): Promise<PgBoss>;
    /** Every route with the access it declared (tests walk it: the role table, the OpenAPI check). */
    routeTable: RouteInfo[];
  }
}

/** Breaks encapsulation so hooks and decorators reach sibling plugins. */
export function shared<T extends FastifyPluginAsync<any>>(plugin: T, name: string): T {
  Object.assign(plugin, { [Symbol.for('skip-override')]: true, [Symbol.for('fastify.display-name')]: name });
  return plugin;
}
