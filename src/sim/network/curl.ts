import { normalizePath } from '../node/process/fs-view.js';
import type { CommandContext, Effect } from '../node/process/shell/context.js';
import { fetchUrl, KERNEL_CONNECT_TIMEOUT_MS, parseUrl, responseHeaders } from './http-client.js';
import type { NetPeer } from './peer.js';

/**
 * `curl` 7.88 (Debian bookworm's, in the nginx image and on kind nodes): `-s`, `-S`, `-o`,
 * `-I`, `-i`, `-f`, `-v`, `-m`/`--max-time`, `--connect-timeout`, `-w '%{http_code}'`, with
 * curl's exit codes and messages (6 resolve, 7 connect, 22 HTTP error with `-f`, 28 timeout).
 */

interface Options {
  silent: boolean;
  showError: boolean;
  output?: string;
  head: boolean;
  include: boolean;
  fail: boolean;
  verbose: boolean;
  maxTime?: number;
  connectTimeout?: number;
  writeOut?: string;
  url?: string;
}

function parse(args: string[]): Options | string {
  const o: Options = {
    silent: false,
    showError: false,
    head: false,
    include: false,
    fail: false,
    verbose: false,
  };
  const value = (i: number) => args[i + 1];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const long: Record<string, () => void> = {
      '--silent': () => (o.silent = true),
      '--show-error': () => (o.showError = true),
      '--head': () => (o.head = true),
      '--include': () => (o.include = true),
      '--fail': () => (o.fail = true),
      '--verbose': () => (o.verbose = true),
      '--location': () => {},
      '--insecure': () => {},
    };
    if (long[a]) long[a]!();
    else if (a === '--max-time' || a === '-m') o.maxTime = Number(args[++i]);
    else if (a === '--connect-timeout') o.connectTimeout = Number(args[++i]);
    else if (a === '--output' || a === '-o') o.output = args[++i];
    else if (a === '--write-out' || a === '-w') o.writeOut = args[++i];
    else if (a === '-X' || a === '--request' || a === '-H' || a === '--header' || a === '-A' || a === '-d')
      i++;
    else if (/^-[a-zA-Z]+$/.test(a)) {
      for (const ch of a.slice(1)) {
        if (ch === 's') o.silent = true;
        else if (ch === 'S') o.showError = true;
        else if (ch === 'I') o.head = true;
        else if (ch === 'i') o.include = true;
        else if (ch === 'f') o.fail = true;
        else if (ch === 'v') o.verbose = true;
        else if (ch === 'L' || ch === 'k') continue;
        else if (ch === 'o' || ch === 'm' || ch === 'w') {
          const v = value(i++);
          if (ch === 'o') o.output = v;
          else if (ch === 'm') o.maxTime = Number(v);
          else o.writeOut = v;
        } else return `option -${ch}: is unknown`;
      }
    } else if (a.startsWith('-')) return `option ${a}: is unknown`;
    else o.url = a;
  }
  return o;
}

export function* curl(args: string[], ctx: CommandContext, peer: NetPeer): Generator<Effect, number, void> {
  const o = parse(args);
  if (typeof o === 'string') {
    ctx.stderr(`curl: ${o}\ncurl: try 'curl --help' or 'curl --manual' for more information\n`);
    return 2;
  }
  let code = '000';
  const fail = (exit: number, message: string): number => {
    if (!o.silent || o.showError) ctx.stderr(`curl: (${exit}) ${message}\n`);
    if (o.writeOut) ctx.stdout(o.writeOut.replace(/%\{http_code\}/g, code).replace(/\\n/g, '\n'));
    return exit;
  };
  if (!o.url) return fail(2, 'no URL specified!');
  const url = parseUrl(o.url);
  if (!url) return fail(3, 'URL using bad/illegal format or missing URL');
  if (o.verbose) ctx.stderr(`*   Trying ${url.host}:${url.port}...\n`);
  const r = fetchUrl(peer, url);
  if (r.kind === 'resolved-failed') {
    if (r.resolution.why === 'timeout') {
      const limit = o.maxTime ?? o.connectTimeout;
      if (limit !== undefined && limit * 1000 < r.resolution.waitedMs) {
        yield { sleep: limit * 1000 };
        return fail(28, `Resolving timed out after ${limit * 1000 + 1} milliseconds`);
      }
      yield { sleep: r.resolution.waitedMs };
    }
    return fail(6, `Could not resolve host: ${url.host}`);
  }
  if (r.kind === 'dial-failed') {
    if (r.dial.error === 'refused')
      return fail(
        7,
        `Failed to connect to ${url.host} port ${url.port} after 0 ms: Couldn't connect to server`,
      );
    if (o.connectTimeout !== undefined && (o.maxTime === undefined || o.connectTimeout <= o.maxTime)) {
      yield { sleep: o.connectTimeout * 1000 };
      return fail(
        28,
        `Failed to connect to ${url.host} port ${url.port} after ${o.connectTimeout * 1000 + 1} ms: Timeout was reached`,
      );
    }
    if (o.maxTime !== undefined) {
      yield { sleep: o.maxTime * 1000 };
      return fail(28, `Connection timed out after ${o.maxTime * 1000 + 1} milliseconds`);
    }
    yield { sleep: KERNEL_CONNECT_TIMEOUT_MS };
    return fail(
      28,
      `Failed to connect to ${url.host} port ${url.port} after ${KERNEL_CONNECT_TIMEOUT_MS} ms: Connection timed out`,
    );
  }
  if (o.verbose) {
    ctx.stderr(`* Connected to ${url.host} (${r.ip}) port ${url.port} (#0)\n`);
    ctx.stderr(
      `> ${o.head ? 'HEAD' : 'GET'} ${url.path} HTTP/1.1\n> Host: ${url.host}${url.port === 80 ? '' : `:${url.port}`}\n> User-Agent: curl/7.88.1\n> Accept: */*\n> \n`,
    );
  }
  if (r.kind === 'no-http') return fail(52, 'Empty reply from server');
  const { answer } = r;
  code = String(answer.status);
  const head = responseHeaders(answer, ctx.now());
  if (o.verbose) for (const h of head) ctx.stderr(`< ${h}\n`);
  if (o.fail && answer.status >= 400) return fail(22, `The requested URL returned error: ${answer.status}`);
  let text = '';
  if (o.head || o.include) text += `${head.join('\r\n')}\r\n\r\n`;
  if (!o.head) text += answer.body;
  if (o.output && o.output !== '-') {
    const err = ctx.fs.write(normalizePath(o.output, ctx.vars.get('PWD') ?? '/'), text, false);
    if (err) return fail(23, `Failure writing output to destination`);
  } else ctx.stdout(text);
  if (o.writeOut) ctx.stdout(o.writeOut.replace(/%\{http_code\}/g, code).replace(/\\n/g, '\n'));
  return 0;
}
