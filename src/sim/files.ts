import * as fs from 'node:fs';
import * as path from 'node:path';

/** The files of one lab's directory, named in one place. */
export const labFiles = (dir: string) => ({
  lab: path.join(dir, 'lab.json'),
  caCert: path.join(dir, 'pki', 'ca.crt'),
  caKey: path.join(dir, 'pki', 'ca.key'),
  serverCert: path.join(dir, 'pki', 'apiserver.crt'),
  serverKey: path.join(dir, 'pki', 'apiserver.key'),
  token: path.join(dir, 'token'),
  kubeconfig: path.join(dir, 'kubeconfig'),
  pid: path.join(dir, 'sim.pid'),
  endpoint: path.join(dir, 'endpoint.json'),
  log: path.join(dir, 'sim.log'),
  state: path.join(dir, 'state'),
});

/** Write a file so that readers see the old or the new content, never a mix. */
export function writeFileAtomic(file: string, data: string, mode = 0o600): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w', mode);
  try {
    fs.writeSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.chmodSync(tmp, mode);
  fs.renameSync(tmp, file);
}

export interface EndpointInfo {
  pid: number;
  port: number;
  server: string;
  startedAt: string;
  version: string;
}
