/**
 * Writes what is generated from the code's zod schemas (`npm run openapi`):
 * public/openapi.json from the routes, and public/mcp-tools.json (what MCP's
 * `initialize` and `tools/list` answer) from the MCP tools. Both are static
 * assets: generated at build time, they cost the Worker's bundle nothing,
 * and tests check that the committed files are current.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { buildOpenApiDocument } from '../src/http/openapi/build.ts';
import { ROUTE_SPECS } from '../src/http/openapi/specs.ts';
import { buildMcpDocument } from '../src/mcp/build.ts';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
const document = buildOpenApiDocument(ROUTE_SPECS, version);
writeFileSync('public/openapi.json', `${JSON.stringify(document, null, 2)}\n`);
console.log(`openapi.json: ${Object.keys(document.paths as object).length} paths`);
const mcp = buildMcpDocument(version);
writeFileSync('public/mcp-tools.json', `${JSON.stringify(mcp, null, 2)}\n`);
console.log(`mcp-tools.json: ${mcp.tools.length} tools`);
