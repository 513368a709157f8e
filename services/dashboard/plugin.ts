// Serves the dashboard: hand-written ES modules and CSS from public/ (no build
// step to forget), and uPlot straight from its npm package under /vendor/uplot/.
import { createRequire } from 'node:module';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export const DASHBOARD_DIR = path.join(import.meta.dirname, 'public');
const UPLOT_DIR = path.dirname(createRequire(import.meta.url).resolve('uplot'));
const UPLOT_FILES = new Set(['uPlot.esm.js', 'uPlot.min.css']);

export default async function dashboardPlugin(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, { root: DASHBOARD_DIR, prefix: '/', index: 'index.html', cacheControl: true, maxAge: 60_000 });
  await app.register(fastifyStatic, {
    root: UPLOT_DIR,
    prefix: '/vendor/uplot/',
    decorateReply: false,
    allowedPath: (pathName) => UPLOT_FILES.has(pathName.replace(/^\//, '')),
    maxAge: 86_400_000,
  });
}
