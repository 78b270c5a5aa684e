/**
 * A small SVG line chart, no dependencies: series of (x, y) points, a linear
 * or logarithmic y axis, and numeric x ticks or named categories.
 *
 * @example
 * lineChart({ title: 'Latency', xLabel: 'percentile', yLabel: 'ms', logY: true,
 *   categories: ['p50', 'p99'], series: [{ name: 'bare', points: [[0, 12], [1, 40]] }] })
 */
export interface ChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: { name: string; points: [number, number][] }[];
  /** Names of x = 0, 1, 2, …; without them x is numeric. */
  categories?: string[];
  logY?: boolean;
}

const COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#b07aa1', '#9c755f', '#edc948'];
const [WIDTH, HEIGHT] = [760, 420];
const MARGIN = { top: 48, right: 210, bottom: 56, left: 70 };

const escapeXml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
const round = (n: number) => Math.round(n * 10) / 10;
const label = (v: number) =>
  v >= 1000 ? `${Number((v / 1000).toPrecision(3))}k` : String(Number(v.toPrecision(3)));

/** Readable tick values covering [min, max]: steps of 1, 2 or 5 × a power of ten, or 1-2-5 per decade on a log axis. */
function ticks(min: number, max: number, log: boolean): number[] {
  const values: number[] = [];
  if (log) {
    for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++)
      for (const m of [1, 2, 5]) if (m * 10 ** e >= min && m * 10 ** e <= max) values.push(m * 10 ** e);
    return values;
  }
  const raw = (max - min || 1) / 6;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  for (let v = Math.ceil(min / step) * step; v <= max + step / 1e6; v += step)
    values.push(Number(v.toPrecision(12)));
  return values;
}

export function lineChart({ title, xLabel, yLabel, series, categories, logY = false }: ChartOptions): string {
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const points = series.flatMap((s) => s.points).filter(([, y]) => Number.isFinite(y));
  const xMin = categories ? 0 : Math.min(0, ...points.map(([x]) => x));
  const xMax = categories ? Math.max(1, categories.length - 1) : Math.max(1, ...points.map(([x]) => x));
  const yMaxRaw = Math.max(1, ...points.map(([, y]) => y));
  const yMin = logY
    ? 10 ** Math.floor(Math.log10(Math.min(...points.map(([, y]) => y).filter((y) => y > 0), 1)))
    : 0;
  const yMax = logY ? 10 ** Math.ceil(Math.log10(yMaxRaw)) : (ticks(0, yMaxRaw, false).at(-1) ?? yMaxRaw);
  const sx = (x: number) => round(MARGIN.left + ((x - xMin) / (xMax - xMin || 1)) * plotW);
  const scale = (y: number) => (logY ? Math.log10(Math.max(y, yMin)) : y);
  const sy = (y: number) =>
    round(MARGIN.top + plotH - ((scale(y) - scale(yMin)) / (scale(yMax) - scale(yMin) || 1)) * plotH);
  const text = (x: number, y: number, content: string, attributes = '') =>
    `<text x="${x}" y="${y}"${attributes}>${escapeXml(content)}</text>`;

  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="system-ui, sans-serif" font-size="12" role="img" aria-label="${escapeXml(title)}">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    text(MARGIN.left, 24, title, ' font-size="15" font-weight="600"'),
  ];
  for (const tick of ticks(logY ? yMin : 0, yMax, logY)) {
    const y = sy(tick);
    out.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y}" y2="${y}" stroke="#e5e5e5"/>`,
      text(MARGIN.left - 8, y + 4, label(tick), ' text-anchor="end" fill="#555"'),
    );
  }
  const xTicks =
    categories?.map((name, i) => [i, name] as const) ??
    ticks(xMin, xMax, false).map((v) => [v, label(v)] as const);
  for (const [value, name] of xTicks) {
    const x = sx(value);
    out.push(
      `<line x1="${x}" x2="${x}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#f0f0f0"/>`,
      text(x, MARGIN.top + plotH + 18, name, ' text-anchor="middle" fill="#555"'),
    );
  }
  out.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`,
    text(MARGIN.left + plotW / 2, HEIGHT - 14, xLabel, ' text-anchor="middle"'),
    `<text transform="translate(18 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(yLabel)}${logY ? ' (log scale)' : ''}</text>`,
  );
  series.forEach(({ name, points }, i) => {
    const color = COLORS[i % COLORS.length];
    const shown = points.filter(([, y]) => Number.isFinite(y));
    out.push(
      `<polyline points="${shown.map(([x, y]) => `${sx(x)},${sy(y)}`).join(' ')}" fill="none" stroke="${color}" stroke-width="2"/>`,
    );
    if (points.length <= 20)
      for (const [x, y] of shown) out.push(`<circle cx="${sx(x)}" cy="${sy(y)}" r="3" fill="${color}"/>`);
    const [lx, ly] = [MARGIN.left + plotW + 16, MARGIN.top + 8 + i * 20];
    out.push(
      `<line x1="${lx}" x2="${lx + 18}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="3"/>`,
      text(lx + 24, ly + 4, name),
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
