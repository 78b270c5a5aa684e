/**
 * Writes public/openapi.json from the routes' zod schemas (`npm run openapi`).
 * The document is a static asset: it costs the Worker's bundle nothing, and a
 * test checks that the committed file is current.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { buildOpenApiDocument } from '../src/http/openapi/build.ts';
import { ROUTE_SPECS } from '../src/http/openapi/specs.ts';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
const document = buildOpenApiDocument(ROUTE_SPECS, version);
writeFileSync('public/openapi.json', `${JSON.stringify(document, null, 2)}\n`);
console.log(`openapi.json: ${Object.keys(document.paths as object).length} paths`);
