/**
 * A small SVG line chart for benchmark reports: one polyline per series over linear axes from 0,
 * with tick labels and a legend. Enough for a curve of a few points; no dependencies.
 */

export interface Series {
  name: string;
  points: readonly (readonly [x: number, y: number])[];
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly Series[];
}

const WIDTH = 640;
const HEIGHT = 360;
const MARGIN = { left: 70, right: 20, top: 40, bottom: 50 };
const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd"];
const TICKS = 5;

/** A round step near `span / TICKS` (1, 2 or 5 times a power of ten). */
function niceStep(span: number): number {
  const raw = span / TICKS || 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].find((m) => m * power >= raw)!;
  return step * power;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function label(value: number): string {
  return Math.abs(value) >= 1000
    ? value.toLocaleString("en-US")
    : String(Number(value.toPrecision(3)));
}

export function lineChartSvg(chart: LineChart): string {
  const points = chart.series.flatMap((s) => s.points);
  const xStep = niceStep(Math.max(0, ...points.map(([x]) => x)));
  const yStep = niceStep(Math.max(0, ...points.map(([, y]) => y)));
  const xMax = Math.max(xStep, Math.ceil(Math.max(0, ...points.map(([x]) => x)) / xStep) * xStep);
  const yMax = Math.max(yStep, Math.ceil(Math.max(0, ...points.map(([, y]) => y)) / yStep) * yStep);
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const px = (x: number) => (MARGIN.left + (x / xMax) * plotW).toFixed(1);
  const py = (y: number) => (MARGIN.top + plotH - (y / yMax) * plotH).toFixed(1);
  const ticks = (max: number, step: number) =>
    Array.from({ length: Math.round(max / step) + 1 }, (_, i) => i * step);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" ` +
    `viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15">${
      escapeXml(chart.title)
    }</text>`,
    ...ticks(yMax, yStep).map((y) =>
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${py(y)}" y2="${
        py(y)
      }" stroke="#ddd"/>` +
      `<text x="${MARGIN.left - 6}" y="${py(y)}" text-anchor="end" dy="4">${label(y)}</text>`
    ),
    ...ticks(xMax, xStep).map((x) =>
      `<text x="${px(x)}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle">${
        label(x)
      }</text>`
    ),
    `<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${
      MARGIN.top + plotH
    }" stroke="black"/>`,
    `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${MARGIN.top + plotH}" y2="${
      MARGIN.top + plotH
    }" stroke="black"/>`,
    `<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 10}" text-anchor="middle">${
      escapeXml(chart.xLabel)
    }</text>`,
    `<text transform="translate(16 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${
      escapeXml(chart.yLabel)
    }</text>`,
    ...chart.series.map((series, i) => {
      const color = COLORS[i % COLORS.length];
      const path = series.points.map(([x, y]) => `${px(x)},${py(y)}`).join(" ");
      const dots = series.points.map(([x, y]) =>
        `<circle cx="${px(x)}" cy="${py(y)}" r="3" fill="${color}"/>`
      ).join("");
      const legendY = MARGIN.top + 14 * i;
      return `<polyline class="series" fill="none" stroke="${color}" stroke-width="2" points="${path}"/>${dots}` +
        `<text x="${WIDTH - MARGIN.right - 4}" y="${legendY}" text-anchor="end" fill="${color}">${
          escapeXml(series.name)
        }</text>`;
    }),
    "</svg>",
  ];
  return parts.join("\n") + "\n";
}
