/**
 * The layers of `src/` (docs/architecture.md), checked on the imports
 * themselves: no import runs back up a layer (`import type` included), no
 * import circle, and no tracked file cites a document outside the repository.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

/** Lowest first: a file may import from its own layer and the layers below it. */
const LAYERS: [layer: string, paths: string[]][] = [
  ['lib', ['src/lib/']],
  ['adapters', ['src/djomy/', 'src/notify/']],
  ['model', ['src/payments/model/']],
  ['config', ['src/env.ts']],
  ['store', ['src/store/']],
  ['use cases', ['src/payments/']],
  ['entry points', ['src/http/', 'src/jobs/', 'src/mcp/']],
  ['wiring', ['src/index.ts', 'src/deps.ts']],
];

function layerOf(file: string): number {
  let best = -1;
  let bestLength = -1;
  LAYERS.forEach(([, prefixes], index) => {
    for (const prefix of prefixes) {
      if ((file === prefix || file.startsWith(prefix)) && prefix.length > bestLength) {
        best = index;
        bestLength = prefix.length;
      }
    }
  });
  if (best < 0) throw new Error(`${file} belongs to no layer: add it to LAYERS and docs/architecture.md`);
  return best;
}

const sourceFiles = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'src'], {
  cwd: root,
  encoding: 'utf8',
})
  .split('\n')
  .filter((file) => file.endsWith('.ts'));

/** Every relative module a file imports or re-exports, types included. */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(root, file), 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"](\.[^'"]+)['"]/g)) {
    found.push(path.normalize(path.join(path.dirname(file), match[1] as string)));
  }
  for (const match of text.matchAll(/import\(\s*['"](\.[^'"]+)['"]\s*\)/g)) {
    found.push(path.normalize(path.join(path.dirname(file), match[1] as string)));
  }
  return found.filter((target) => target.startsWith('src/') && target.endsWith('.ts'));
}

describe('the layers of src/', () => {
  it('every file belongs to a layer', () => {
    for (const file of sourceFiles) expect(() => layerOf(file), file).not.toThrow();
  });

  it('no import runs back up a layer, `import type` included', () => {
    const upward = sourceFiles.flatMap((file) =>
      importsOf(file)
        .filter((target) => layerOf(target) > layerOf(file))
        .map(
          (target) => `${file} (${LAYERS[layerOf(file)]?.[0]}) → ${target} (${LAYERS[layerOf(target)]?.[0]})`,
        ),
    );
    expect(upward).toEqual([]);
  });

  it('no import circle', () => {
    const graph = new Map(sourceFiles.map((file) => [file, importsOf(file)]));
    const circles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, trail: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        circles.push([...trail.slice(trail.indexOf(file)), file].join(' → '));
        return;
      }
      state.set(file, 'open');
      for (const target of graph.get(file) ?? []) visit(target, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of sourceFiles) visit(file, []);
    expect(circles).toEqual([]);
  });
});

describe('the store owns SQL and its transactions', () => {
  it('no file above src/store/ prepares a statement or sends a D1 batch', () => {
    const outside = sourceFiles
      .filter((file) => !file.startsWith('src/store/'))
      .flatMap((file) =>
        readFileSync(path.join(root, file), 'utf8')
          .split('\n')
          .flatMap((line, index) => (/\.(prepare|batch)\(/.test(line) ? [`${file}:${index + 1}`] : [])),
      );
    expect(outside).toEqual([]);
  });
});

describe('the repository explains itself', () => {
  it('no tracked file cites a document outside the repository', () => {
    const tracked = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
      cwd: root,
      encoding: 'utf8',
    })
      .split('\n')
      .filter((file) => /\.(ts|js|mjs|md|toml|json|html|css|example|sql)$|^\.dev\.vars\.example$/.test(file))
      .filter((file) => !file.startsWith('test/fixtures/') || file.endsWith('README.md'))
      .filter((file) => file !== 'test/node/architecture.test.ts');
    const outside = /SPEC(\.md)?\s?§|SPEC\.md|djomy-api\.md|decision [0-9]+\b|\.\.\/shared|§\s?[0-9]/;
    const citing = tracked.flatMap((file) =>
      readFileSync(path.join(root, file), 'utf8')
        .split('\n')
        .flatMap((line, index) =>
          outside.test(line) ? [`${file}:${index + 1}: ${line.trim().slice(0, 120)}`] : [],
        ),
    );
    expect(citing).toEqual([]);
  });
});
