import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../errors.js';
import { labDir, labsDir } from './paths.js';

/**
 * What every backend writes at the top of its lab's `lab.json`, so the app can tell which
 * backend owns a lab without knowing that backend's record format.
 */
export interface LabRecordHeader {
  backend: string;
  createdAt: string;
  labId?: string;
}

export const LAB_RECORD = 'lab.json';

export const labRecordPath = (state: string, name: string): string =>
  path.join(labDir(state, name), LAB_RECORD);

/** The lab's record header, or undefined when no lab of that name exists. */
export function readLabHeader(state: string, name: string): LabRecordHeader | undefined {
  const file = labRecordPath(state, name);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  let record: Partial<LabRecordHeader>;
  try {
    record = JSON.parse(text);
  } catch (e) {
    throw new UserError(`the record of lab "${name}" (${file}) is not valid JSON: ${(e as Error).message}`, {
      fix: `clusterlab down --name ${name}`,
    });
  }
  if (typeof record.backend !== 'string' || typeof record.createdAt !== 'string')
    throw new UserError(`the record of lab "${name}" (${file}) lacks its backend or creation time`, {
      fix: `clusterlab down --name ${name}`,
    });
  return record as LabRecordHeader;
}

/** Names of the directories under `<state>/labs`, sorted (whether or not they hold a record). */
export function labDirNames(state: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(labsDir(state), { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}
