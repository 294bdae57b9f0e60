/**
 * Vagrant's `--machine-readable` output: one record per line, `timestamp,target,type,data…`.
 * Commas inside a field are written `%!(VAGRANT_COMMA)` and newlines `\n` (two characters), so
 * a plain split on commas is right once those are put back.
 */
export interface VagrantRecord {
  timestamp: number;
  /** The machine the record is about (`node-1`), or empty for the whole run. */
  target: string;
  type: string;
  data: string[];
}

const unescapeField = (field: string): string =>
  field.replaceAll('%!(VAGRANT_COMMA)', ',').replaceAll('\\n', '\n').replaceAll('\\r', '\r');

/** One line as a record, or undefined for a line that is not one (Ruby warnings, blank lines). */
export function parseRecord(line: string): VagrantRecord | undefined {
  const fields = line.replace(/\r$/, '').split(',');
  if (fields.length < 3 || !/^\d+$/.test(fields[0]!)) return undefined;
  return {
    timestamp: Number(fields[0]),
    target: fields[1]!,
    type: fields[2]!,
    data: fields.slice(3).map(unescapeField),
  };
}

export function parseRecords(text: string): VagrantRecord[] {
  return text
    .split('\n')
    .map(parseRecord)
    .filter((r): r is VagrantRecord => r !== undefined);
}

/** The human text of a `ui` record (`ui,info,<text>`): what the plain output would have said. */
export function uiText(r: VagrantRecord): string | undefined {
  return r.type === 'ui' ? r.data.slice(1).join(',') : undefined;
}

/** The error a failed command reported (`error-exit,<class>,<message>`), if it did. */
export function errorExit(records: VagrantRecord[]): { kind: string; message: string } | undefined {
  const r = records.find((x) => x.type === 'error-exit');
  return r ? { kind: r.data[0] ?? '', message: r.data.slice(1).join(',').trim() } : undefined;
}

/** `vagrant status --machine-readable` → each machine's state (`running`, `shutoff`, `not_created`…). */
export function machineStates(records: VagrantRecord[]): Map<string, string> {
  const states = new Map<string, string>();
  for (const r of records) if (r.type === 'state' && r.target) states.set(r.target, r.data[0] ?? '');
  return states;
}

/** `vagrant box list --machine-readable` → the boxes, each with its providers. */
export function boxList(records: VagrantRecord[]): Array<{ name: string; provider: string }> {
  const boxes: Array<{ name: string; provider: string }> = [];
  for (const r of records) {
    if (r.type === 'box-name') boxes.push({ name: r.data[0] ?? '', provider: '' });
    else if (r.type === 'box-provider' && boxes.length > 0)
      boxes[boxes.length - 1]!.provider = r.data[0] ?? '';
  }
  return boxes;
}
