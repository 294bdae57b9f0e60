import * as fs from 'node:fs';
import { labFiles } from '../../sim/files.js';
import { labCommand } from '../../state/names.js';
import { labDir } from '../../state/paths.js';
import type { LabStatus } from '../types.js';
import { tailCommand } from './log-tail.js';
import { labAnswers } from './probe.js';
import { isSimProcess, readPid } from './process.js';
import { readSimLab } from './record.js';

/** The truth about a sim lab, from its files, its process and its API. */
export async function simStatus(stateDir: string, name: string): Promise<LabStatus> {
  const dir = labDir(stateDir, name);
  const rec = readSimLab(dir);
  if (!rec) return { name, backend: 'sim', state: 'absent', reason: `there is no lab called "${name}"` };
  const f = labFiles(dir);
  const base: LabStatus = {
    name,
    backend: 'sim',
    state: 'stopped',
    labId: rec.labId,
    createdAt: rec.createdAt,
    nodes: rec.config.nodes.length,
    kubernetesVersion: rec.config.kubernetesVersion,
    kubeconfig: fs.existsSync(f.kubeconfig) ? f.kubeconfig : undefined,
    dir,
    log: f.log,
  };
  const seeLog = { what: 'see its log', command: tailCommand(f.log) };
  const pid = readPid(f.pid);
  if (pid === undefined)
    return {
      ...base,
      state: 'stopped',
      reason: 'the sim is not running; it stopped cleanly and saved its state',
      hints: [{ what: 'start it again', command: labCommand('up', name) }],
    };
  if (!isSimProcess(pid, dir))
    return {
      ...base,
      state: 'crashed',
      pid,
      reason: `the sim (pid ${pid}) is gone without stopping cleanly: it was killed, it crashed, or the machine restarted`,
      hints: [seeLog, { what: 'restart it with its saved state', command: labCommand('up', name) }],
    };
  const endpoint = await labAnswers(dir, pid);
  if (endpoint) return { ...base, state: 'running', pid, server: endpoint.server };
  return {
    ...base,
    state: 'unresponsive',
    pid,
    reason: `the sim (pid ${pid}) is running but its API does not answer`,
    hints: [
      seeLog,
      { what: 'restart it (up stops the stuck process, keeping its state)', command: labCommand('up', name) },
    ],
  };
}
