// Security headers (helmet) and rate limits. The limit is per key when one is
// presented (hashed, so the limiter's memory holds no keys) and per address
// otherwise; health probes and metrics scrapes are exempt.
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { hashKey } from '../access.ts';
import { ApiError } from '../errors.ts';
import { shared } from '../types.ts';
import { presentedKey } from './auth.ts';

async function securityPlugin(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // uPlot and Swagger UI set inline styles.
        styleSrc: ["'self'", "'unsafe-inline'"],
        // Evidence images are fetched with the key and shown as blob: URLs.
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    // Plain HTTP on a police LAN: HSTS would break access by address.
    strictTransportSecurity: false,
  });
  await app.register(rateLimit, {
    global: true,
    max: app.deps.config.apiRateLimit,
    timeWindow: 60_000,
    keyGenerator: (request) => {
      const key = presentedKey(request);
      return key ? `k:${hashKey(key).slice(0, 24)}` : `ip:${request.ip}`;
    },
    errorResponseBuilder: (_request, context) =>
      new ApiError('RATE_LIMITED', `rate limit of ${context.max} requests per minute reached; retry in ${Math.ceil(context.ttl / 1000)} s`),
  });
}

export default shared(securityPlugin, 'crosswatch-security');
