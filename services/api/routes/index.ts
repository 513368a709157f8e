// Every resource plugin under /api, one per concern: a file in routes/ that
// declares config.access on each route, and one line below.
import type { FastifyPluginAsync } from 'fastify';
import adminRoutes from './admin.ts';
import intersectionRoutes from './intersections.ts';
import ratingRoutes from './ratings.ts';
import runRoutes from './runs.ts';
import simulationRoutes from './simulations.ts';
import trendRoutes from './trends.ts';
import violationRoutes from './violations.ts';
import windowRoutes from './windows.ts';

export const apiRoutes: FastifyPluginAsync[] = [intersectionRoutes, trendRoutes, ratingRoutes, windowRoutes, violationRoutes, runRoutes, simulationRoutes, adminRoutes];
