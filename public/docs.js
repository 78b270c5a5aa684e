// Renders /openapi.json for /docs (no CDN, no build step).
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
// zod's JSON Schema output uses ±2^53−1 for "any integer": not worth showing.
const UNBOUNDED = Number.MAX_SAFE_INTEGER;
let doc;

const flat = (children) => children.flat(Infinity).filter((child) => child != null && child !== false);

/** Element builder; strings become text nodes, never HTML. */
function h(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) if (value != null) node.setAttribute(name, value);
  node.append(...flat(children));
  return node;
}

/** Descriptions use `backticks` for code. */
function prose(text = '') {
  return text.split(/`([^`]+)`/).map((part, i) => (i % 2 ? h('code', {}, part) : part));
}

function resolve(schema) {
  if (!schema?.$ref) return { schema: schema ?? {}, name: null };
  const name = schema.$ref.split('/').pop();
  return { schema: doc.components?.schemas?.[name] ?? {}, name };
}

function typeOf(schema) {
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  if (schema.anyOf || schema.oneOf) return 'one of';
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : (schema.type ?? 'any');
  if (type === 'array') return `${typeOf(resolve(schema.items).schema)}[]`;
  return type;
}

function rulesOf(schema) {
  const rules = [];
  const range = (min, max, unit) => {
    if (min !== undefined && max !== undefined) rules.push(`${min}–${max}${unit}`);
    else if (min !== undefined) rules.push(`≥ ${min}${unit}`);
    else if (max !== undefined) rules.push(`≤ ${max}${unit}`);
  };
  range(schema.minLength, schema.maxLength, ' chars');
  range(schema.minItems, schema.maxItems, ' items');
  const bounded = (n) => (n === undefined || Math.abs(n) >= UNBOUNDED ? undefined : n);
  range(bounded(schema.minimum), bounded(schema.maximum), '');
  if (schema.exclusiveMinimum !== undefined) rules.push(`> ${schema.exclusiveMinimum}`);
  if (schema.format) rules.push(schema.format);
  if (schema.pattern) rules.push(`pattern ${schema.pattern}`);
  if (schema.default !== undefined) rules.push(`default ${JSON.stringify(schema.default)}`);
  return rules;
}

/** Where a schema has parts worth listing below it. */
function childrenOf(schema, depth) {
  if (depth > 6) return [];
  const items = [];
  const object = schema.type === 'array' ? resolve(schema.items).schema : schema;
  const required = new Set(object.required ?? []);
  for (const [name, property] of Object.entries(object.properties ?? {})) {
    items.push(schemaItem(name, property, required.has(name), depth + 1));
  }
  if (object.additionalProperties && typeof object.additionalProperties === 'object') {
    items.push(schemaItem('<key>', object.additionalProperties, false, depth + 1));
  }
  for (const [index, variant] of (schema.anyOf ?? schema.oneOf ?? []).entries()) {
    items.push(schemaItem(`variant ${index + 1}`, variant, false, depth + 1));
  }
  return items;
}

function schemaItem(name, raw, required, depth) {
  const { schema, name: refName } = resolve(raw);
  const children = childrenOf(schema, depth);
  return h(
    'li',
    {},
    name ? h('code', {}, name) : null,
    ' ',
    h('span', { class: 'type' }, refName ?? typeOf(schema)),
    required ? [' ', h('span', { class: 'req' }, 'required')] : null,
    rulesOf(schema).map((rule) => [' ', h('span', { class: 'rule' }, rule)]),
    schema.description ? [' — ', ...prose(schema.description)] : null,
    children.length ? h('ul', { class: 'schema' }, children) : null,
  );
}

function schemaTree(raw) {
  return h('ul', { class: 'schema' }, schemaItem(null, raw, false, 0));
}

function parameters(operation) {
  const list = operation.parameters ?? [];
  if (!list.length) return null;
  return [
    h('h3', {}, 'Parameters'),
    h(
      'table',
      {},
      h('tr', {}, h('th', {}, 'Name'), h('th', {}, 'In'), h('th', {}, 'Type'), h('th', {}, 'Rules')),
      list.map((p) =>
        h(
          'tr',
          {},
          h(
            'td',
            {},
            h('code', {}, p.name),
            p.required ? [' ', h('span', { class: 'req' }, 'required')] : null,
          ),
          h('td', {}, p.in),
          h('td', { class: 'type' }, typeOf(resolve(p.schema).schema)),
          h(
            'td',
            { class: 'rule' },
            [...rulesOf(p.schema ?? {}), ...(p.description ? [p.description] : [])].join(' · '),
          ),
        ),
      ),
    ),
  ];
}

function requestBody(operation) {
  const content = operation.requestBody?.content;
  if (!content) return null;
  return Object.entries(content).map(([type, media]) => [
    h('h3', {}, 'Request body ', h('code', {}, type)),
    media.schema ? schemaTree(media.schema) : null,
  ]);
}

function responses(operation) {
  const entries = Object.entries(operation.responses ?? {});
  return [
    h('h3', {}, 'Responses'),
    h(
      'dl',
      { class: 'responses' },
      entries.map(([status, response]) => {
        const content = Object.entries(response.content ?? {});
        return [
          h('dt', { class: `s${status[0]}` }, status),
          h(
            'dd',
            {},
            ...prose(response.description),
            content.map(([type, media]) => {
              const problem = resolve(media.schema).name === 'Problem';
              return [
                ' ',
                h('code', {}, type),
                problem ? [' ', h('a', { href: '#problems' }, 'problem types')] : null,
                media.schema && !problem
                  ? h('details', {}, h('summary', {}, 'schema'), schemaTree(media.schema))
                  : null,
              ];
            }),
          ),
        ];
      }),
    ),
  ];
}

function anchorOf(method, path, operation) {
  return `op-${operation.operationId ?? `${method}-${path}`.replace(/[^\w-]+/g, '-')}`;
}

function operationBlock(method, path, operation) {
  const id = anchorOf(method, path, operation);
  const admin = (operation.security ?? []).some((rule) => 'adminBearer' in rule);
  return h(
    'details',
    { class: 'op', id, 'data-testid': `op-${method.toUpperCase()} ${path}` },
    h(
      'summary',
      {},
      h('span', { class: `method ${method}` }, method),
      h('code', { class: 'path' }, path),
      h('span', { class: 'summary' }, operation.summary ?? ''),
      admin ? h('span', { class: 'badge' }, 'Bearer ADMIN_TOKEN') : null,
    ),
    h(
      'div',
      { class: 'op-body' },
      operation.description ? h('p', {}, ...prose(operation.description)) : null,
      parameters(operation),
      requestBody(operation),
      responses(operation),
    ),
  );
}

function problemsSection() {
  const types = Object.entries(doc['x-problem-types'] ?? {});
  return [
    h('h2', { id: 'problems' }, 'Problem types'),
    h(
      'p',
      {},
      'Every error is ',
      h('code', {}, 'application/problem+json'),
      ' (RFC 9457): ',
      h('code', {}, '{type, title, status, detail, errors: [{path, message}], requestId}'),
      '. Its ',
      h('code', {}, 'type'),
      ' is one of these anchors.',
    ),
    h(
      'div',
      { class: 'problems' },
      types.map(([slug, description]) =>
        h(
          'section',
          { class: 'problem', id: `problem-${slug}`, 'data-testid': `problem-${slug}` },
          h('h3', {}, h('code', {}, `/docs#problem-${slug}`)),
          h('p', { style: 'margin:0' }, ...prose(description)),
        ),
      ),
    ),
  ];
}

function render() {
  document.title = `${doc.info.title} API`;
  document.getElementById('title').textContent = `${doc.info.title} API`;
  document.getElementById('description').replaceChildren(...prose(doc.info.description));
  document.getElementById('version').textContent = `· version ${doc.info.version}`;

  const byTag = new Map((doc.tags ?? []).map((tag) => [tag.name, []]));
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const tag = operation.tags?.[0] ?? 'Other';
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push([method, path, operation]);
    }
  }
  const sections = [...byTag].filter(([, ops]) => ops.length);
  const descriptions = new Map(
    (doc.tags ?? []).filter((t) => t.description).map((t) => [t.name, t.description]),
  );
  const toggle = h('button', { type: 'button' }, 'Expand all');
  toggle.addEventListener('click', () => {
    const open = toggle.textContent === 'Expand all';
    for (const node of document.querySelectorAll('details.op')) node.open = open;
    toggle.textContent = open ? 'Collapse all' : 'Expand all';
  });
  document
    .getElementById('content')
    .replaceChildren(
      ...flat([
        h('div', { class: 'tools' }, toggle),
        sections.map(([tag, ops]) => [
          h('h2', { id: `tag-${tag}` }, tag),
          descriptions.has(tag) ? h('p', {}, ...prose(descriptions.get(tag))) : null,
          ops.map(([method, path, operation]) => operationBlock(method, path, operation)),
        ]),
        problemsSection(),
      ]),
    );
  document.getElementById('toc').replaceChildren(
    h(
      'ul',
      {},
      sections.map(([tag, ops]) =>
        h(
          'li',
          {},
          h('a', { href: `#tag-${tag}` }, tag),
          h(
            'ul',
            { class: 'sub' },
            ops.map(([method, path, operation]) =>
              h(
                'li',
                {},
                h('a', { href: `#${anchorOf(method, path, operation)}` }, `${method.toUpperCase()} ${path}`),
              ),
            ),
          ),
        ),
      ),
      h('li', {}, h('a', { href: '#problems' }, 'Problem types')),
    ),
  );
}

/** The content arrives after load, so the browser's own jump to #fragment has already missed it. */
function showTarget() {
  for (const node of document.querySelectorAll('.targeted')) node.classList.remove('targeted');
  const id = decodeURIComponent(location.hash.slice(1));
  const target = id && document.getElementById(id);
  if (!target) return;
  if (target.tagName === 'DETAILS') target.open = true;
  target.classList.add('targeted');
  target.scrollIntoView({ block: 'start' });
}

try {
  const response = await fetch('/openapi.json');
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  doc = await response.json();
  render();
  showTarget();
  addEventListener('hashchange', showTarget);
  document.body.dataset.state = 'ready';
} catch (error) {
  document
    .getElementById('content')
    .replaceChildren(h('p', { class: 'error' }, `Could not load /openapi.json: ${error.message}`));
  document.body.dataset.state = 'error';
}
