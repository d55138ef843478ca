/** Small statistics and the printed report. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Nearest-rank percentile of an ascending array; `p` in (0, 100]. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

export function formatNumber(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export const ms = (value: number) => `${formatNumber(value, 2)} ms`;

interface Row {
  section: string;
  name: string;
  value: string;
  target: string;
  verdict: string;
}

/** Prints each figure as it is measured and keeps it for the closing summary table. */
export class Report {
  private readonly rows: Row[] = [];
  private section = '';

  heading(section: string): void {
    this.section = section;
    write(`\n== ${section}\n`);
  }

  /** A measured figure with no target. */
  figure(name: string, value: string): void {
    this.add({ section: this.section, name, value, target: '', verdict: '' });
  }

  /**
   * A figure with a target: PASS or MISS, and whether the aim (a stricter target) was met.
   * `pass` undefined means the figure could not be measured.
   */
  check(name: string, value: string, target: string, pass: boolean | undefined, aimMet?: boolean): void {
    let verdict = pass === undefined ? 'n/a' : pass ? 'PASS' : 'MISS';
    if (pass === true && aimMet !== undefined) verdict += aimMet ? ' (aim met)' : ' (aim not met)';
    this.add({ section: this.section, name, value, target, verdict });
  }

  note(text: string): void {
    write(`   ${text}\n`);
  }

  printSummary(): void {
    write('\n== Summary\n');
    const header: Row = { section: '', name: 'measure', value: 'value', target: 'target', verdict: 'result' };
    const keys = ['name', 'value', 'target', 'verdict'] as const;
    const width = (key: (typeof keys)[number]) => Math.max(...[header, ...this.rows].map((row) => row[key].length));
    const line = (row: Row) => keys.map((key) => row[key].padEnd(width(key))).join(' | ').trimEnd();
    write(`${line(header)}\n${keys.map((key) => '-'.repeat(width(key))).join('-|-')}\n`);
    let section = '';
    for (const row of this.rows) {
      if (row.section !== section) write(`-- ${row.section}\n`);
      section = row.section;
      write(`${line(row)}\n`);
    }
  }

  private add(row: Row): void {
    this.rows.push(row);
    const target = row.target === '' ? '' : `   target ${row.target}: ${row.verdict}`;
    write(`   ${row.name}: ${row.value}${target}\n`);
  }
}

function write(text: string): void {
  process.stdout.write(text);
}
