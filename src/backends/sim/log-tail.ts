import * as fs from 'node:fs';

/** The last `lines` lines of a log file (empty when it does not exist). */
export function logTail(file: string, lines = 20): string[] {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return [];
  }
  try {
    const size = fs.fstatSync(fd).size;
    const length = Math.min(size, 64 * 1024);
    const buf = Buffer.alloc(length);
    fs.readSync(fd, buf, 0, length, size - length);
    const all = buf.toString('utf8').split('\n');
    if (all.at(-1) === '') all.pop();
    return all.slice(-lines);
  } finally {
    fs.closeSync(fd);
  }
}

/** A command that shows the end of a log on this platform. */
export function tailCommand(file: string, lines = 50): string {
  return process.platform === 'win32'
    ? `Get-Content -Tail ${lines} "${file}"`
    : `tail -n ${lines} ${file.includes(' ') ? `"${file}"` : file}`;
}
