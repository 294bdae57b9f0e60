import { normalizePath } from '../node/process/fs-view.js';
import type { CommandContext, Effect } from '../node/process/shell/context.js';
import { fetchUrl, KERNEL_CONNECT_TIMEOUT_MS, parseUrl, responseHeaders, statusLine } from './http-client.js';
import type { NetPeer } from './peer.js';

/**
 * busybox `wget` (1.37): `-q`, `-O FILE` (`-O-` for stdout), `-T SEC`, `-S`, `--spider`, with
 * busybox's messages (`wget: bad address 'x'`, `wget: can't connect to remote host (ip):
 * Connection refused`, `wget: download timed out`, `wget: server returned error: HTTP/1.1 404
 * Not Found`). A connection a policy drops waits for `-T`, or for the kernel's give-up.
 */
export function* wget(args: string[], ctx: CommandContext, peer: NetPeer): Generator<Effect, number, void> {
  let quiet = false;
  let out: string | undefined;
  let timeoutS: number | undefined;
  let headers = false;
  let spider = false;
  const urls: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--spider') spider = true;
    else if (a === '-S' || a === '--server-response') headers = true;
    else if (a === '-q' || a === '--quiet') quiet = true;
    else if (a.startsWith('-O')) out = a.length > 2 ? a.slice(2) : args[++i];
    else if (a.startsWith('--output-document')) out = a.includes('=') ? a.split('=')[1] : args[++i];
    else if (a.startsWith('-T')) timeoutS = Number(a.length > 2 ? a.slice(2) : args[++i]);
    else if (a.startsWith('--timeout')) timeoutS = Number(a.includes('=') ? a.split('=')[1] : args[++i]);
    else if (a === '-U' || a === '--header' || a === '-Y') i++;
    else if (/^-[qS]+$/.test(a)) {
      if (a.includes('q')) quiet = true;
      if (a.includes('S')) headers = true;
    } else if (a.startsWith('-qO')) {
      quiet = true;
      out = a.slice(3) || args[++i];
    } else if (!a.startsWith('-')) urls.push(a);
  }
  if (urls.length === 0) {
    ctx.stderr(
      'BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...\n',
    );
    return 1;
  }
  const url = parseUrl(urls[0]!);
  if (!url) {
    ctx.stderr(`wget: not an http or ftp url: ${urls[0]}\n`);
    return 1;
  }
  const r = fetchUrl(peer, url);
  if (r.kind === 'resolved-failed') {
    if (r.resolution.why === 'timeout') yield { sleep: r.resolution.waitedMs };
    ctx.stderr(`wget: bad address '${url.host}'\n`);
    return 1;
  }
  if (!quiet) ctx.stderr(`Connecting to ${url.host} (${r.ip}:${url.port})\n`);
  if (r.kind === 'dial-failed') {
    if (r.dial.error === 'refused') {
      ctx.stderr(`wget: can't connect to remote host (${r.ip}): Connection refused\n`);
      return 1;
    }
    if (timeoutS !== undefined && timeoutS > 0) {
      yield { sleep: timeoutS * 1000 };
      ctx.stderr('wget: download timed out\n');
      return 1;
    }
    yield { sleep: KERNEL_CONNECT_TIMEOUT_MS };
    ctx.stderr(`wget: can't connect to remote host (${r.ip}): Connection timed out\n`);
    return 1;
  }
  if (r.kind === 'no-http') {
    ctx.stderr('wget: error getting response: Connection reset by peer\n');
    return 1;
  }
  const { answer } = r;
  if (headers) for (const h of responseHeaders(answer, ctx.now())) ctx.stderr(`  ${h}\n`);
  if (answer.status >= 400) {
    ctx.stderr(`wget: server returned error: ${statusLine(answer.status)}\n`);
    return 1;
  }
  if (spider) {
    if (!quiet) ctx.stderr('remote file exists\n');
    return 0;
  }
  const toStdout = out === '-';
  const file = out ?? (url.path.split('?')[0]!.split('/').pop() || 'index.html');
  const size = Buffer.byteLength(answer.body);
  if (!toStdout) {
    const path = normalizePath(file, ctx.vars.get('PWD') ?? '/');
    if (out === undefined && ctx.fs.stat(path)) {
      ctx.stderr(`wget: can't open '${file}': File exists\n`);
      return 1;
    }
    const err = ctx.fs.write(path, answer.body, false);
    if (err) {
      ctx.stderr(
        `wget: can't open '${file}': ${err === 'EROFS' ? 'Read-only file system' : 'No such file or directory'}\n`,
      );
      return 1;
    }
  } else ctx.stdout(answer.body);
  if (!quiet) {
    const name = toStdout ? '-' : file;
    ctx.stderr(toStdout ? 'writing to stdout\n' : `saving to '${file}'\n`);
    ctx.stderr(
      `${name.padEnd(20)} 100% |********************************| ${String(size).padStart(5)}  0:00:00 ETA\n`,
    );
    ctx.stderr(toStdout ? 'written to stdout\n' : `'${file}' saved\n`);
  }
  return 0;
}
