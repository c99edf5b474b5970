import assert from "node:assert/strict";
import { lineChartSvg } from "./svg-chart.ts";

Deno.test("a line chart has a polyline per series, scaled into the plot, and escaped labels", () => {
  const svg = lineChartSvg({
    title: "latency <vs> load",
    xLabel: "clients",
    yLabel: "ms",
    series: [
      { name: "p50", points: [[1, 2], [4, 3], [16, 9]] },
      { name: "p99", points: [[1, 5], [4, 8], [16, 40]] },
    ],
  });
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.equal(svg.match(/<polyline class="series"/g)?.length, 2);
  assert.ok(svg.includes("latency &#60;vs&#62; load"));
  // x from 0 to 20 (steps of 5): 16 sits at 80 % of the 550-pixel plot from x = 70.
  assert.ok(svg.includes(`${(70 + 0.8 * 550).toFixed(1)},`), svg);
  // y from 0 to 40: the p99 top point touches the plot's top edge (y = 40).
  assert.ok(svg.includes(`${(70 + 0.8 * 550).toFixed(1)},40.0`));
});

Deno.test("a chart of no points still draws its axes", () => {
  const svg = lineChartSvg({ title: "empty", xLabel: "x", yLabel: "y", series: [] });
  assert.ok(svg.trimEnd().endsWith("</svg>"));
  assert.ok(!svg.includes("NaN"));
});
