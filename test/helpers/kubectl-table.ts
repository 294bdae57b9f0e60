/** Reading kubectl's human-readable tables in tests. */

/**
 * Split kubectl's aligned table output into rows of cells, using the header's column starts
 * (cells may be empty, headers may contain spaces).
 */
export function parseTable(block: string): Array<Record<string, string>> {
  const lines = block.split('\n').filter((l) => l.trim() !== '');
  const header = lines[0]!;
  const starts: Array<{ name: string; at: number }> = [];
  for (const m of header.matchAll(/\S+(?: \S+)*/g)) starts.push({ name: m[0], at: m.index! });
  return lines.slice(1).map((line) => {
    const row: Record<string, string> = {};
    starts.forEach((s, i) => {
      const end = i + 1 < starts.length ? starts[i + 1]!.at : undefined;
      row[s.name] = line.slice(s.at, end).trim();
    });
    return row;
  });
}

/** `kubectl get a,b,c` prints one table per kind, separated by blank lines. */
export const tables = (stdout: string) => stdout.trim().split(/\n\s*\n/);
export const headerOf = (block: string) =>
  block
    .split('\n')[0]!
    .trim()
    .split(/\s{2,}/);
