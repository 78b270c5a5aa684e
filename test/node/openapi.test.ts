import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import { buildOpenApiDocument } from '../../src/http/openapi/build.ts';
import { ROUTE_SPECS } from '../../src/http/openapi/specs.ts';

const committed = JSON.parse(readFileSync('public/openapi.json', 'utf8'));
const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

describe('/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(committed);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('is current: regenerating it from the route schemas changes nothing (run `npm run openapi`)', () => {
    expect(buildOpenApiDocument(ROUTE_SPECS, version)).toEqual(committed);
  });

  it('describes every route the Worker answers, and nothing else', () => {
    const toOpenApi = (path: string) => path.replace(/:([A-Za-z]+)/g, '{$1}');
    const served = new Set(
      createApp(() => {
        throw new Error('routes are only listed here');
      })
        .routes.filter((route) => route.method !== 'ALL')
        .map((route) => `${route.method.toLowerCase()} ${toOpenApi(route.path)}`),
    );
    // Static assets: public/docs.html and this document.
    served.add('get /docs');
    served.add('get /openapi.json');
    const documented = new Set(
      Object.entries(committed.paths as Record<string, object>).flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method} ${path}`),
      ),
    );
    expect([...documented].sort()).toEqual([...served].sort());
  });

  it('documents every problem type a route can answer', () => {
    expect(Object.keys(committed['x-problem-types'])).toContain('djomy-refused');
    for (const operation of Object.values(
      committed.paths as Record<string, Record<string, { responses: object }>>,
    ).flatMap((ops) => Object.values(ops))) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) >= 400) expect(JSON.stringify(response)).toContain('problem+json');
      }
    }
  });
});
