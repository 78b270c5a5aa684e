/**
 * A small SVG line chart, no dependencies: series of (x, y) points, a linear
 * or logarithmic y axis, and either numeric x ticks or named categories.
 *
 * @example
 * lineChart({ title: 'Latency', xLabel: 'percentile', yLabel: 'ms', logY: true,
 *   categories: ['p50', 'p99'], series: [{ name: 'bare', points: [[0, 12], [1, 40]] }] })
 */

export interface ChartSeries {
  name: string;
  points: [number, number][];
}

export interface ChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: ChartSeries[];
  /** Names of x = 0, 1, 2, …; without them x is numeric. */
  categories?: string[];
  logY?: boolean;
  width?: number;
  height?: number;
}

const COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#b07aa1', '#9c755f', '#edc948'];

const escapeXml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

const round = (n: number) => Math.round(n * 10) / 10;

/** Readable tick values covering [min, max]. */
function linearTicks(min: number, max: number, count = 6): number[] {
  const span = max - min || 1;
  const raw = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step / 1e6; v += step)
    ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

function logTicks(min: number, max: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= min && v <= max) ticks.push(v);
    }
  }
  return ticks;
}

function label(value: number): string {
  if (value >= 1000) return `${Number((value / 1000).toPrecision(3))}k`;
  return String(Number(value.toPrecision(3)));
}

export function lineChart(options: ChartOptions): string {
  const width = options.width ?? 760;
  const height = options.height ?? 420;
  const margin = { top: 48, right: 210, bottom: 56, left: 70 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const points = options.series.flatMap((s) => s.points).filter(([, y]) => Number.isFinite(y));
  const xs = points.map(([x]) => x);
  const ys = points.map(([, y]) => y);
  const xMin = options.categories ? 0 : Math.min(0, ...xs);
  const xMax = options.categories ? Math.max(1, options.categories.length - 1) : Math.max(1, ...xs);
  const logY = options.logY ?? false;
  const positive = ys.filter((y) => y > 0);
  const yMin = logY ? 10 ** Math.floor(Math.log10(Math.min(...positive, 1))) : 0;
  const yMaxRaw = Math.max(1, ...ys);
  const yMax = logY ? 10 ** Math.ceil(Math.log10(yMaxRaw)) : (linearTicks(0, yMaxRaw).at(-1) ?? yMaxRaw);
  const sx = (x: number) => margin.left + ((x - xMin) / (xMax - xMin || 1)) * plotW;
  const sy = (y: number) =>
    logY
      ? margin.top +
        plotH -
        ((Math.log10(Math.max(y, yMin)) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin) || 1)) *
          plotH
      : margin.top + plotH - (y / (yMax || 1)) * plotH;

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12" role="img" aria-label="${escapeXml(options.title)}">`,
    `<title>${escapeXml(options.title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${margin.left}" y="24" font-size="15" font-weight="600">${escapeXml(options.title)}</text>`,
  );
  for (const tick of logY ? logTicks(yMin, yMax) : linearTicks(0, yMax)) {
    const y = round(sy(tick));
    out.push(
      `<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${y}" y2="${y}" stroke="#e5e5e5"/>`,
      `<text x="${margin.left - 8}" y="${y + 4}" text-anchor="end" fill="#555">${label(tick)}</text>`,
    );
  }
  const xTicks = options.categories
    ? options.categories.map((name, i) => ({ value: i, text: name }))
    : linearTicks(xMin, xMax).map((value) => ({ value, text: label(value) }));
  for (const tick of xTicks) {
    const x = round(sx(tick.value));
    out.push(
      `<line x1="${x}" x2="${x}" y1="${margin.top}" y2="${margin.top + plotH}" stroke="#f0f0f0"/>`,
      `<text x="${x}" y="${margin.top + plotH + 18}" text-anchor="middle" fill="#555">${escapeXml(tick.text)}</text>`,
    );
  }
  out.push(
    `<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`,
    `<text x="${margin.left + plotW / 2}" y="${height - 14}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`,
    `<text transform="translate(18 ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(options.yLabel)}${logY ? ' (log scale)' : ''}</text>`,
  );
  options.series.forEach((series, i) => {
    const color = COLORS[i % COLORS.length] as string;
    const path = series.points
      .filter(([, y]) => Number.isFinite(y))
      .map(([x, y]) => `${round(sx(x))},${round(sy(y))}`)
      .join(' ');
    out.push(`<polyline points="${path}" fill="none" stroke="${color}" stroke-width="2"/>`);
    if (series.points.length <= 20) {
      for (const [x, y] of series.points) {
        if (Number.isFinite(y))
          out.push(`<circle cx="${round(sx(x))}" cy="${round(sy(y))}" r="3" fill="${color}"/>`);
      }
    }
    const ly = margin.top + 8 + i * 20;
    const lx = margin.left + plotW + 16;
    out.push(
      `<line x1="${lx}" x2="${lx + 18}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="3"/>`,
      `<text x="${lx + 24}" y="${ly + 4}">${escapeXml(series.name)}</text>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
