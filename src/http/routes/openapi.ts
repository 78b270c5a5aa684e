/** `GET /openapi.json`: generated at build time from the routes' schemas (`npm run openapi`). `/docs` is a static page. */
import { Hono } from 'hono';
import type { AppEnv } from '../context.ts';
import document from '../openapi/openapi.json' with { type: 'json' };

export const openapi = new Hono<AppEnv>().get('/openapi.json', (c) => {
  c.header('Cache-Control', 'public, max-age=300');
  return c.json(document);
});
