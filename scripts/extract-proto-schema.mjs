#!/usr/bin/env node
// Extract the Kubernetes protobuf wire schema the sim needs to decode request bodies.
//
// kubectl embeds, for every k8s.io/api and k8s.io/apimachinery package it links, the
// gzipped FileDescriptorProto that gogo-protobuf registers at init. Those descriptors carry
// message and field names, field numbers, types, labels and the gogoproto options (whether a
// Go field is a pointer, its Go name); no comments. This script finds them in a kubectl
// binary, decodes them with a minimal protobuf reader, joins them with the sim's JSON schema
// (derived from @kubernetes/client-node by `npm run build`) for what protobuf cannot say —
// which fields JSON always writes and which structs are inlined — and writes the compact table
// src/sim/protobuf/schema.json. The table is committed; see docs/sim-protobuf.md.
//
// Usage: node scripts/extract-proto-schema.mjs [path/to/kubectl]   (run `npm run build` first)
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  decodeMessage,
  findDescriptors,
  findStructTags,
  LABEL_REPEATED,
  TYPE_BYTES,
  TYPE_MESSAGE,
  TYPE_STRING,
} from './kubectl-descriptors.mjs';

const root = path.join(path.dirname(new URL(import.meta.url).pathname), '..');
const outFile = path.join(root, 'src', 'sim', 'protobuf', 'schema.json');
const modelsFile = path.join(root, 'src', 'sim', 'schema', 'generated', 'models.json');

/** The API packages whose bodies the sim may receive (stable versions of served groups). */
const PACKAGES = [
  'k8s.io.api.core.v1',
  'k8s.io.api.apps.v1',
  'k8s.io.api.batch.v1',
  'k8s.io.api.networking.v1',
  'k8s.io.api.storage.v1',
  'k8s.io.api.discovery.v1',
  'k8s.io.api.coordination.v1',
  'k8s.io.api.events.v1',
  'k8s.io.api.policy.v1',
  'k8s.io.api.autoscaling.v1',
  'k8s.io.api.autoscaling.v2',
  'k8s.io.api.rbac.v1',
  'k8s.io.api.scheduling.v1',
  'k8s.io.api.authentication.v1',
  'k8s.io.api.authorization.v1',
  'k8s.io.api.certificates.v1',
  'k8s.io.apimachinery.pkg.apis.meta.v1',
  'k8s.io.apimachinery.pkg.runtime',
  'k8s.io.apimachinery.pkg.runtime.schema',
  'k8s.io.apimachinery.pkg.api.resource',
  'k8s.io.apimachinery.pkg.util.intstr',
];

const SCALARS = {
  1: 'double',
  2: 'float',
  3: 'int64',
  4: 'uint64',
  5: 'int32',
  6: 'fixed64',
  7: 'fixed32',
  8: 'bool',
  9: 'string',
  12: 'bytes',
  13: 'uint32',
  14: 'int32', // enums decode as their number
  15: 'sfixed32',
  16: 'sfixed64',
  17: 'sint32',
  18: 'sint64',
};
function upperFirst(s) {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The client-node model name of a proto message (`k8s.io.api.core.v1.EndpointPort` → `CoreV1EndpointPort`). */
function modelFor(fullName, msg, models) {
  const parts = fullName.split('.');
  const short = parts.at(-1);
  const version = parts.at(-2);
  const group = parts.at(-3);
  const candidates = /^v\d/.test(version)
    ? [`${upperFirst(group)}${upperFirst(version)}${short}`, `${upperFirst(version)}${short}`]
    : [];
  for (const c of candidates) {
    const model = models[c];
    if (!model) continue;
    const names = Object.keys(model.properties);
    // The same short name can exist in several groups: accept only a model that knows the fields.
    const known = msg.fields.filter((f) => names.includes(f.jsonName)).length;
    if (msg.fields.length === 0 || known > 0) return c;
  }
  return undefined;
}

/**
 * A struct embedded with `json:",inline"` is a field in protobuf but not in JSON. Protobuf says
 * only that the field is a non-pointer message whose Go name is its type's name (as for every
 * embedded struct, ObjectMeta included); the JSON model tells inlined ones by lacking the field.
 */
function isInline(f, model) {
  if (!model || f.type !== TYPE_MESSAGE || f.nullable || f.label === LABEL_REPEATED) return false;
  return f.goName === f.typeName.split('.').at(-1) && !(f.jsonName in model.properties);
}

/**
 * Messages that stand for a Go slice type (`type ExtraValue []string`): one repeated `items`,
 * and no JSON model of their own since JSON writes them as plain arrays.
 */
function isListWrapper(msg, model) {
  const only = msg.fields.length === 1 ? msg.fields[0] : undefined;
  return !model && only?.name === 'items' && only.label === LABEL_REPEATED;
}

const unmatched = [];

/**
 * go-to-protobuf derives a field's proto name from its Go name, which is not always the JSON
 * name (`APIGroup` → `aPIGroup`, JSON `apiGroup`): take the JSON model's spelling.
 */
function jsonNameOf(f, model, where) {
  if (!model || f.jsonName in model.properties) return f.jsonName;
  const same = Object.keys(model.properties).find((p) => p.toLowerCase() === f.jsonName.toLowerCase());
  if (same) return same;
  unmatched.push(where);
  return f.jsonName;
}

function typeSpec(f, messages) {
  if (f.type === TYPE_MESSAGE) {
    const target = messages.get(f.typeName);
    if (target?.mapEntry) {
      const [k, v] = [1, 2].map((n) => target.fields.find((x) => x.number === n));
      const valueType = v.type === TYPE_MESSAGE ? v.typeName : SCALARS[v.type];
      return `map<${SCALARS[k.type]},${valueType}>`;
    }
    return f.typeName;
  }
  const scalar = SCALARS[f.type];
  if (!scalar) throw new Error(`unsupported field type ${f.type} in ${f.name}`);
  return scalar;
}

/** Whether JSON writes this non-pointer scalar even when zero (its tag has no omitempty). */
function writtenWhenZero(f, model, structTags) {
  const wire = f.type === TYPE_STRING || f.type === TYPE_BYTES ? 'bytes' : 'varint';
  const verdicts = structTags.get(`${wire},${f.number},name=${f.name}`);
  if (verdicts?.size === 1) return !verdicts.has(true);
  return model?.required?.includes(f.jsonName) ?? false;
}

/**
 * One field as text: `<jsonName> <prefix><type>`, prefixes `[]` repeated, `*` Go pointer (set
 * when present, zero included), `!` JSON writes it even when zero (no omitempty), `...` inline.
 */
function fieldSpec(f, model, messages, structTags) {
  const type = typeSpec(f, messages);
  if (type.startsWith('map<')) return `${f.jsonName} ${type}`;
  let prefix = '';
  if (f.label === LABEL_REPEATED) prefix = '[]';
  else if (isInline(f, model)) prefix = '...';
  else if (f.nullable) prefix = '*';
  else if (f.type !== TYPE_MESSAGE && writtenWhenZero(f, model, structTags)) prefix = '!';
  return `${f.jsonName} ${prefix}${type}`;
}

function kubectlBinary() {
  if (process.argv[2]) return process.argv[2];
  const dir = '/usr/lib/google-cloud-sdk/bin';
  const versioned = fs
    .readdirSync(dir)
    .filter((f) => /^kubectl\.1\.\d+$/.test(f))
    .sort((a, b) => Number(a.split('.')[2]) - Number(b.split('.')[2]));
  if (versioned.length === 0) throw new Error('no kubectl found: pass its path as the first argument');
  return path.join(dir, versioned.at(-1));
}

function main() {
  const bin = kubectlBinary();
  if (!fs.existsSync(modelsFile)) {
    throw new Error(`${modelsFile} is missing: run \`npm run build\` first`);
  }
  const { models, source: modelsSource } = JSON.parse(fs.readFileSync(modelsFile, 'utf8'));
  const version = JSON.parse(execFileSync(bin, ['version', '--client', '-o', 'json'], { encoding: 'utf8' }))
    .clientVersion.gitVersion;

  const binary = fs.readFileSync(bin);
  const files = findDescriptors(binary);
  const structTags = findStructTags(binary);
  const messages = new Map();
  for (const pkg of PACKAGES) {
    const file = files.get(pkg);
    if (!file) throw new Error(`${bin} embeds no descriptor for package ${pkg}`);
    for (const m of file.messages) decodeMessage(m, pkg, messages);
  }

  const sorted = [...messages].filter(([, m]) => !m.mapEntry).sort(([a], [b]) => a.localeCompare(b));
  const modelOf = new Map(sorted.map(([name, msg]) => [name, models[modelFor(name, msg, models)]]));
  // An inlined struct has no JSON model of its own: its fields live in the embedding one's.
  for (const [name, msg] of sorted) {
    for (const f of msg.fields) {
      if (isInline(f, modelOf.get(name)) && !modelOf.get(f.typeName))
        modelOf.set(f.typeName, modelOf.get(name));
    }
  }

  const table = {};
  const listWrappers = [];
  const inlined = [];
  for (const [name, msg] of sorted) {
    const model = modelOf.get(name);
    if (isListWrapper(msg, model)) listWrappers.push(name);
    const fields = {};
    for (const f of msg.fields.sort((a, b) => a.number - b.number)) {
      if (!isInline(f, model)) f.jsonName = jsonNameOf(f, model, `${name}.${f.name}`);
      fields[f.number] = fieldSpec(f, model, messages, structTags);
      if (fields[f.number].includes(' ...')) inlined.push(`${name}.${f.jsonName}`);
    }
    table[name] = fields;
  }

  const out = {
    source: `kubectl ${version} (${path.basename(bin)}); JSON omitempty from ${modelsSource}`,
    generatedBy: 'scripts/extract-proto-schema.mjs',
    listWrappers,
    messages: table,
  };
  // One field a line, as the project's formatter writes JSON, so a regeneration diffs by field.
  const text = `${JSON.stringify(out, null, 2)}\n`;
  fs.writeFileSync(outFile, text);
  console.log(
    `extract-proto-schema: ${Object.keys(table).length} messages from ${version}, ` +
      `${(text.length / 1024).toFixed(0)} KiB; inline fields: ${inlined.join(', ')}; ` +
      `list wrappers: ${listWrappers.join(', ')}`,
  );
  if (unmatched.length > 0) console.warn(`fields the JSON model does not know: ${unmatched.join(', ')}`);
}

main();
