#!/usr/bin/env node
// The `clusterlab` command. Plain JavaScript that old Node versions still run (no syntax newer
// than Node 12): when the running Node is too old for clusterlab, run this same script again
// with the Node 24 the project installs (node_modules/node), passing arguments, terminal and
// exit code through.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const MIN_MAJOR = 22;
const self = fileURLToPath(import.meta.url);
const root = dirname(dirname(self));
const major = Number(process.versions.node.split('.')[0]);

function fail(message) {
  process.stderr.write(`clusterlab: ${message}\n`);
  process.exitCode = 1;
}

function projectNode() {
  const win = process.platform === 'win32';
  const candidates = [
    join(root, 'node_modules', 'node', 'bin', win ? 'node.exe' : 'node'),
    join(root, 'node_modules', '.bin', win ? 'node.cmd' : 'node'),
  ];
  return candidates.find((file) => existsSync(file));
}

function reexec(node) {
  const child = spawn(node, [self].concat(process.argv.slice(2)), {
    stdio: 'inherit',
    env: Object.assign({}, process.env, { CLUSTERLAB_REEXEC: '1' }),
  });
  // The terminal sends Ctrl-C to the child too; this process only waits for its exit code.
  process.on('SIGINT', () => {});
  for (const sig of ['SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('error', (err) => fail(`could not start ${node}: ${err.message}`));
  child.on('exit', (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else {
      process.exitCode = code;
    }
  });
}

async function start() {
  const entry = join(root, 'dist', 'cli', 'main.js');
  if (!existsSync(entry)) {
    fail(
      `clusterlab is not built yet (${entry} is missing).\n` +
        `  fix: cd ${root} && npm run build   (npm install builds it too)`,
    );
    return;
  }
  const cli = await import(pathToFileURL(entry).href);
  process.exitCode = await cli.main(process.argv.slice(2));
}

if (major >= MIN_MAJOR) {
  // biome-ignore lint/complexity/useOptionalChain: Node before 14 cannot parse `?.`, and it parses this whole file.
  start().catch((err) => fail((err && err.stack) || String(err)));
} else {
  const node = process.env.CLUSTERLAB_REEXEC ? undefined : projectNode();
  if (node) reexec(node);
  else
    fail(
      `clusterlab needs Node.js ${MIN_MAJOR} or newer; this is ${process.version}.\n` +
        `  fix: cd ${root} && npm install   (it installs the Node 24 the project runs on)`,
    );
}
