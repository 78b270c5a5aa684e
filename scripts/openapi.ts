/**
 * Writes what is generated from the code's zod schemas (`npm run openapi`):
 * public/openapi.json from the routes, and src/mcp/tools.generated.json (what
 * MCP's `initialize` and `tools/list` answer) from the MCP tools. Generated
 * at build time so the Worker ships no JSON Schema generator; tests check
 * that both committed files are current.
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
writeFileSync('src/mcp/tools.generated.json', `${JSON.stringify(mcp, null, 2)}\n`);
console.log(`tools.generated.json: ${mcp.tools.length} tools`);
