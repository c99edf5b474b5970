/** A benchmark's markdown report: number formatting, the results table and the machine list. */

export interface Column {
  title: string;
  /** Numbers are right-aligned. */
  align: "left" | "right";
}

/** A whole number with thousands separators: 12,345. */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

/** The lines of a markdown table: header, alignment row, then one line per row of cells. */
export function markdownTable(columns: readonly Column[], rows: readonly string[][]): string[] {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  const alignments = columns.map((column) => column.align === "right" ? "--:" : "---");
  return [
    line(columns.map((column) => column.title)),
    `|${alignments.join("|")}|`,
    ...rows.map(line),
  ];
}

export interface Report {
  /** The machine, the command and anything else the figures depend on, one item each. */
  machine: readonly string[];
  /** The results, as from `markdownTable`. */
  table: readonly string[];
  /** Parts of the benchmark that did not run, and why. */
  skipped: readonly string[];
}

export function formatReport({ machine, table, skipped }: Report): string {
  return [
    "Machine:",
    "",
    ...machine.map((line) => `- ${line}`),
    "",
    ...table,
    "",
    ...skipped.map((reason) => `Skipped: ${reason}`),
    ...(skipped.length > 0 ? [""] : []),
  ].join("\n");
}
