/**
 * The auditor and operator console at `/console/`: static files only — the page, its styles and
 * its compiled scripts (gateway/console, built by `npm run build`). The page is a client of the
 * REST API with the caller's own token, so serving it needs no credentials and grants nothing.
 */
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * gateway/: the nearest directory above this module's with a package.json and a console/ — from
 * gateway/src/routes/public (tests), gateway/dist/routes/public (built), or gateway/dist (the
 * bundle `npm start` loads, scripts/bundle-gateway.js).
 */
const GATEWAY_ROOT = gatewayRoot(__dirname);

function gatewayRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'console'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(from, '..', '..', '..');
  }
}
/** The page and styles (source) and the compiled scripts (build output). */
export const CONSOLE_ROOTS = [path.join(GATEWAY_ROOT, 'console', 'public'), path.join(GATEWAY_ROOT, 'dist', 'console')];

/** A plugin of the public context; without a build of the console only its page and styles are served. */
export async function consoleRoutes(app: FastifyInstance): Promise<void> {
  const roots = CONSOLE_ROOTS.filter((root) => existsSync(root));
  app.get('/console', { schema: { hide: true } }, (_request, reply) => reply.redirect('/console/'));
  await app.register(fastifyStatic, { root: roots, prefix: '/console/', schemaHide: true, index: 'index.html', cacheControl: true, maxAge: 0 });
}
