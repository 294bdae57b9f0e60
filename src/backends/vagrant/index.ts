import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../../errors.js';
import { packageRoot } from '../../state/install.js';
import { labCommand } from '../../state/names.js';
import { labDir, labsDir } from '../../state/paths.js';
import { findOnPath } from '../host-tools.js';
import type { BackendContext, ClusterBackend, LabCapability, LabSpec, UpResult } from '../types.js';
import type { VagrantEnv } from './context.js';
import { createVagrantLab } from './create.js';
import { destroyVagrantLab } from './destroy.js';
import { gatherVagrantHostFacts } from './host-facts.js';
import { vagrantLabFiles } from './names.js';
import { vagrantNodes } from './nodes.js';
import { DEFAULT_VAGRANT_SETTINGS, type VagrantSettings } from './params.js';
import { vagrantPreflightIssues } from './preflight.js';
import { readVagrantLab } from './record.js';
import { resumeVagrantLab } from './resume.js';
import { vagrantStatus } from './status.js';

export interface VagrantBackendOptions {
  root?: string;
}

const settingsOf = (spec?: LabSpec): VagrantSettings => spec?.vagrant ?? DEFAULT_VAGRANT_SETTINGS;
const vmCount = (spec?: LabSpec) => (spec ? spec.controlPlanes + spec.workers : 3);

/** The `vagrant` backend: VMs made by Vagrant (libvirt or VirtualBox), its record under `<state>/labs/<name>/`. */
export function createVagrantBackend(ctx: BackendContext, opts: VagrantBackendOptions = {}): ClusterBackend {
  const env: VagrantEnv = { ...ctx, root: opts.root ?? packageRoot() };
  const vagrantBin = () => findOnPath('vagrant', ctx.env);
  const facts = (spec?: LabSpec) =>
    gatherVagrantHostFacts({
      settings: settingsOf(spec),
      vms: vmCount(spec),
      stateDir: ctx.stateDir,
      root: env.root,
      env: ctx.env,
    });
  const requireLab = (name: string) => {
    const dir = labDir(ctx.stateDir, name);
    const rec = readVagrantLab(dir);
    if (!rec)
      throw new UserError(`there is no lab called "${name}"`, {
        fix: labCommand('up', name, '--backend vagrant'),
      });
    return { dir, rec };
  };

  return {
    name: 'vagrant',

    async preflight(spec) {
      if (spec && readVagrantLab(labDir(ctx.stateDir, spec.name))) return [];
      return vagrantPreflightIssues(await facts(spec));
    },

    async up(spec, progress, signal, options): Promise<UpResult> {
      const bin = vagrantBin();
      if (!bin) throw new UserError('vagrant is not installed', { fix: 'clusterlab info' });
      const dir = labDir(ctx.stateDir, spec.name);
      const rec = readVagrantLab(dir);
      if (rec) return resumeVagrantLab({ name: spec.name, dir, rec, progress, signal, vagrantBin: bin }, env);
      progress.start('Checking Vagrant, its provider and the box');
      const f = await facts(spec);
      progress.end(
        true,
        `${f.provider}${f.provider === 'libvirt' ? ` (${f.libvirtDriver})` : ''}, box ${f.box.name}`,
      );
      return createVagrantLab(
        {
          spec,
          settings: settingsOf(spec),
          facts: f,
          progress,
          signal,
          retain: options?.retain === true,
          vagrantBin: bin,
        },
        env,
      );
    },

    async down(name, progress) {
      const dir = labDir(ctx.stateDir, name);
      if (path.dirname(dir) !== labsDir(ctx.stateDir)) throw new Error(`refusing lab path ${dir}`);
      if (!fs.existsSync(dir)) return { name, removed: false };
      const rec = readVagrantLab(dir);
      if (rec || fs.existsSync(vagrantLabFiles(dir).params)) {
        const bin = vagrantBin();
        if (!bin)
          throw new UserError(
            `vagrant is needed to destroy the VMs of lab "${name}", and it is not on PATH`,
            {
              fix: `cd ${dir} && vagrant destroy -f, then ${labCommand('down', name)}`,
            },
          );
        progress?.start(`Destroying the VMs of lab "${name}"`);
        try {
          const swept = await destroyVagrantLab({
            lab: name,
            dir,
            vms: rec?.vms ?? [],
            vagrantBin: bin,
            env: ctx.env,
            log: ctx.log,
          });
          progress?.end(
            true,
            swept.length > 0 ? `also removed what vagrant left: ${swept.join(', ')}` : undefined,
          );
        } catch (err) {
          progress?.end(false);
          throw err;
        }
      }
      progress?.start('Removing the lab files');
      fs.rmSync(dir, { recursive: true, force: true });
      progress?.end(true);
      return { name, removed: true };
    },

    status: (name) => vagrantStatus(ctx.stateDir, name, ctx.env, vagrantBin()),

    async kubeconfig(name) {
      const { dir, rec } = requireLab(name);
      const file = vagrantLabFiles(dir).kubeconfig;
      if (rec.profile !== 'kubeadm')
        throw new UserError(
          `lab "${name}" is made of plain Linux VMs (the linux profile): it has no Kubernetes API`,
          {
            fix: `cd ${dir} && vagrant ssh ${rec.vms[0]}`,
          },
        );
      if (!fs.existsSync(file))
        throw new UserError(`lab "${name}" has no kubeconfig (its creation did not get that far)`, {
          fix: `${labCommand('down', name)} && ${labCommand('up', name, '--backend vagrant')}`,
        });
      return file;
    },

    async nodes(name) {
      const { dir, rec } = requireLab(name);
      return vagrantNodes(dir, rec, ctx.env, vagrantBin());
    },

    async capabilities(name): Promise<LabCapability[]> {
      const rec = readVagrantLab(labDir(ctx.stateDir, name));
      return rec?.profile === 'kubeadm' ? ['nodeExec', 'podExec'] : ['nodeExec'];
    },
  };
}
