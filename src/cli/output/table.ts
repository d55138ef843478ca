import { terminalSafe } from './terminal-text.js';

export interface Column {
  header: string;
  /** Numbers read best right-aligned. */
  align?: 'left' | 'right';
  min?: number;
  max?: number;
}

const GAP = '  ';
/** The last column never shrinks below this, even on a narrow terminal (the line wraps instead). */
const LAST_MIN = 12;

/**
 * Aligned columns under a header. Widths are fixed by the first rows given, so that a long
 * listing prints page by page without holding every row; a longer cell later is cut with
 * `…`, and the last column takes what is left of `width` (a terminal's columns; Infinity
 * when piped, where nothing is cut).
 *
 * @example
 * const table = tableWriter([{ header: 'COUNT', align: 'right' }, { header: 'PATTERN' }], process.stdout.columns);
 * process.stdout.write(table.lines([['12', 'Incorrect API key']]).join('\n') + '\n');
 */
export function tableWriter(columns: Column[], width = Infinity): { lines(rows: string[][]): string[] } {
  let widths: number[] | null = null;
  return {
    lines(rows) {
      const cells = rows.map((row) => row.map(terminalSafe));
      const header = widths === null;
      widths ??= columnWidths(columns, cells, width);
      const fixed = widths;
      const format = (row: string[]) =>
        row
          .map((cell, index) => fit(cell, fixed[index] ?? LAST_MIN, columns[index]?.align ?? 'left', index === row.length - 1))
          .join(GAP)
          .trimEnd();
      return [...(header ? [format(columns.map((column) => column.header))] : []), ...cells.map(format)];
    },
  };
}

function columnWidths(columns: Column[], rows: string[][], width: number): number[] {
  const widths = columns.map((column, index) => {
    const longest = Math.max(length(column.header), ...rows.map((row) => length(row[index] ?? '')));
    return Math.min(Math.max(longest, column.min ?? 0), column.max ?? Infinity);
  });
  const others = widths.slice(0, -1).reduce((sum, each) => sum + each + GAP.length, 0);
  // A text column last takes the rest of the line; a number column keeps its own width.
  if (columns.at(-1)?.align !== 'right') widths[widths.length - 1] = Math.max(width - others, LAST_MIN);
  return widths;
}

const length = (text: string) => [...text].length;

function fit(cell: string, width: number, align: 'left' | 'right', last: boolean): string {
  const chars = [...cell];
  if (chars.length > width) return `${chars.slice(0, Math.max(width - 1, 0)).join('')}…`;
  if (width === Infinity || (last && align === 'left')) return cell;
  const pad = ' '.repeat(width - chars.length);
  return align === 'right' ? pad + cell : cell + pad;
}
