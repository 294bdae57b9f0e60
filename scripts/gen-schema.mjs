#!/usr/bin/env node
// Derive the sim's schema of the Kubernetes API types from the installed
// @kubernetes/client-node: its generated models carry every type's fields, JSON names, value
// types and formats (`attributeTypeMap` in the .js files), whether each field is optional,
// and each field's documentation (in the .d.ts files).
//
// Writes {src,dist}/sim/schema/generated/models.json (types, used for decoding and patching) and
// descriptions.json (documentation, loaded only for OpenAPI documents and `kubectl explain`).
// Run by `npm run build`; the output is not committed.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { derivePackages } from './schema-packages.mjs';

const require = createRequire(import.meta.url);
const pkgJson = require.resolve('@kubernetes/client-node/package.json');
const pkgDir = path.dirname(pkgJson);
const pkg = JSON.parse(fs.readFileSync(pkgJson, 'utf8'));
const modelsDir = path.join(pkgDir, 'dist', 'gen', 'models');
const root = path.join(path.dirname(new URL(import.meta.url).pathname), '..');
// Tests run the sources, the CLI runs the build: both read the generated files beside them.
const outDirs = ['src', 'dist'].map((d) => path.join(root, d, 'sim', 'schema', 'generated'));

/**
 * Fields that hold resource.Quantity values. client-node types them as plain strings, but the
 * API accepts numbers there too (`cpu: 1`) and stores them in canonical form.
 */
const QUANTITY_MAPS = new Set([
  'V1ResourceRequirements.limits',
  'V1ResourceRequirements.requests',
  'V1VolumeResourceRequirements.limits',
  'V1VolumeResourceRequirements.requests',
  'V1NodeStatus.capacity',
  'V1NodeStatus.allocatable',
  'V1ResourceQuotaSpec.hard',
  'V1ResourceQuotaStatus.hard',
  'V1ResourceQuotaStatus.used',
  'V1LimitRangeItem.max',
  'V1LimitRangeItem.min',
  'V1LimitRangeItem._default',
  'V1LimitRangeItem.defaultRequest',
  'V1LimitRangeItem.maxLimitRequestRatio',
  'V1PersistentVolumeSpec.capacity',
  'V1PersistentVolumeClaimStatus.capacity',
  'V1PersistentVolumeClaimStatus.allocatedResources',
  'V1PodSpec.overhead',
  'V1Overhead.podFixed',
  'V1ContainerStatus.allocatedResources',
  'V1PodStatus.allocatedResources',
]);
const QUANTITY_SCALARS = new Set([
  'V1EmptyDirVolumeSource.sizeLimit',
  'V1ResourceFieldSelector.divisor',
  'V1CSIStorageCapacity.capacity',
  'V1CSIStorageCapacity.maximumVolumeSize',
]);

function parseType(t, format, knownModels) {
  t = t.trim();
  let m = /^Array<(.+)>$/.exec(t);
  if (m) return { type: 'array', items: parseType(m[1], '', knownModels) };
  m = /^\{ \[key: string\]: (.+); \}$/.exec(t);
  // Secret.data and ConfigMap.binaryData: the format (byte) belongs to the map's values.
  if (m) return { type: 'map', items: parseType(m[1], format === 'byte' ? 'byte' : '', knownModels) };
  switch (t) {
    case 'string':
      return format === 'byte' ? { type: 'byte' } : { type: 'string' };
    case 'number':
      if (format === 'int32' || format === 'int64') return { type: 'integer', format };
      return { type: 'number', ...(format ? { format } : {}) };
    case 'boolean':
      return { type: 'boolean' };
    case 'Date':
      return { type: 'date-time', ...(format === 'date-time-micro' ? { format: 'micro' } : {}) };
    case 'IntOrString':
      return { type: 'int-or-string' };
    case 'any':
      return { type: 'any' };
    default:
      if (knownModels.has(t)) return { type: 'object', ref: t };
      return { type: 'any' };
  }
}

/** Field docs and optionality from a model's .d.ts. */
function parseDts(text) {
  const fields = {};
  const re = /(?:\/\*\*\n((?:\s*\*.*\n)*?)\s*\*\/\n)?\s+'([^']+)'(\?)?:/g;
  for (const m of text.matchAll(re)) {
    const doc = m[1]
      ? m[1]
          .split('\n')
          .map((l) => l.replace(/^\s*\* ?/, ''))
          .join('\n')
          .trim()
          .replace(/\\'/g, "'")
          .replace(/\\"/g, '"')
      : undefined;
    fields[m[2]] = { optional: m[3] === '?', description: doc || undefined };
  }
  const cls = /\/\*\*\n\* (.*)\n\*\/\nexport declare class/.exec(text);
  return { fields, description: cls ? cls[1].replace(/\\'/g, "'").replace(/\\"/g, '"') : undefined };
}

const files = fs.readdirSync(modelsDir).filter((f) => f.endsWith('.js') && !f.endsWith('.map.js'));
const names = new Set(files.map((f) => f.replace(/\.js$/, '')));
const models = {};
const descriptions = {};
for (const file of files) {
  const name = file.replace(/\.js$/, '');
  const js = fs.readFileSync(path.join(modelsDir, file), 'utf8');
  const mapMatch = /\.attributeTypeMap = (\[[\s\S]*?\n\]);/.exec(js);
  if (!mapMatch) continue;
  const attrs = JSON.parse(mapMatch[1]);
  const dtsPath = path.join(modelsDir, `${name}.d.ts`);
  const dts = fs.existsSync(dtsPath) ? parseDts(fs.readFileSync(dtsPath, 'utf8')) : { fields: {} };
  const properties = {};
  const docs = { description: dts.description, properties: {} };
  const required = [];
  for (const a of attrs) {
    let schema = parseType(a.type, a.format, names);
    const key = `${name}.${a.name}`;
    if (QUANTITY_MAPS.has(key) && schema.type === 'map')
      schema = { type: 'map', items: { type: 'quantity' } };
    if (QUANTITY_SCALARS.has(key)) schema = { type: 'quantity' };
    properties[a.baseName] = schema;
    const d = dts.fields[a.name];
    if (d?.description) docs.properties[a.baseName] = d.description;
    if (d && !d.optional) required.push(a.baseName);
  }
  models[name] = required.length ? { properties, required } : { properties };
  descriptions[name] = docs;
}

const source = `${pkg.name} ${pkg.version}`;
const packages = derivePackages(pkgDir, models);
for (const outDir of outDirs) {
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'models.json'), JSON.stringify({ source, models }));
  fs.writeFileSync(path.join(outDir, 'descriptions.json'), JSON.stringify({ source, descriptions }));
  fs.writeFileSync(path.join(outDir, 'packages.json'), JSON.stringify({ source, packages }));
}
console.log(`gen-schema: ${Object.keys(models).length} models from ${source}`);
