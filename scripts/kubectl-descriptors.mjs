// Read what a kubectl binary keeps about the Kubernetes API types: the gzipped protobuf file
// descriptors gogo-protobuf registers, and the Go struct tags kept for reflection. A minimal
// protobuf reader, enough for descriptors. Used by extract-proto-schema.mjs.
import * as zlib from 'node:zlib';

export const TYPE_MESSAGE = 11;
export const TYPE_STRING = 9;
export const TYPE_BYTES = 12;
export const LABEL_REPEATED = 3;

// gogoproto field options (github.com/gogo/protobuf/gogoproto/gogo.proto extension numbers).
const GOGO_NULLABLE = 65001;
const GOGO_CUSTOMNAME = 65004;

function* readFields(buf) {
  let pos = 0;
  while (pos < buf.length) {
    const [tag, p1] = varint(buf, pos);
    pos = p1;
    const field = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    if (wire === 0) {
      const [v, p2] = varint(buf, pos);
      pos = p2;
      yield { field, value: v };
    } else if (wire === 2) {
      const [len, p2] = varint(buf, pos);
      const end = p2 + Number(len);
      if (end > buf.length) throw new Error('truncated');
      yield { field, bytes: buf.subarray(p2, end) };
      pos = end;
    } else if (wire === 1) {
      pos += 8;
    } else if (wire === 5) {
      pos += 4;
    } else throw new Error(`wire type ${wire}`);
  }
}

function varint(buf, pos) {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    if (pos >= buf.length || shift > 63n) throw new Error('bad varint');
    const b = buf[pos++];
    result |= BigInt(b & 0x7f) << shift;
    shift += 7n;
    if ((b & 0x80) === 0) return [result, pos];
  }
}

function decodeField(buf) {
  const f = {
    name: '',
    number: 0,
    label: 1,
    type: 0,
    typeName: '',
    jsonName: '',
    nullable: true,
    goName: '',
  };
  for (const x of readFields(buf)) {
    if (x.field === 1) f.name = x.bytes.toString();
    else if (x.field === 3) f.number = Number(x.value);
    else if (x.field === 4) f.label = Number(x.value);
    else if (x.field === 5) f.type = Number(x.value);
    else if (x.field === 6) f.typeName = x.bytes.toString().replace(/^\./, '');
    else if (x.field === 10) f.jsonName = x.bytes.toString();
    else if (x.field === 8) {
      for (const o of readFields(x.bytes)) {
        if (o.field === GOGO_NULLABLE) f.nullable = o.value !== 0n;
        if (o.field === GOGO_CUSTOMNAME) f.goName = o.bytes.toString();
      }
    }
  }
  return f;
}

export function decodeMessage(buf, prefix, out) {
  const msg = { name: '', fields: [], mapEntry: false };
  const nested = [];
  for (const x of readFields(buf)) {
    if (x.field === 1) msg.name = x.bytes.toString();
    else if (x.field === 2) msg.fields.push(decodeField(x.bytes));
    else if (x.field === 3) nested.push(x.bytes);
    else if (x.field === 7) {
      for (const o of readFields(x.bytes)) if (o.field === 7) msg.mapEntry = o.value !== 0n;
    }
  }
  const full = `${prefix}.${msg.name}`;
  out.set(full, msg);
  for (const n of nested) decodeMessage(n, full, out);
}

function decodeFile(buf) {
  let name = '';
  let pkg = '';
  const messages = [];
  for (const x of readFields(buf)) {
    if (x.field === 1) name = x.bytes.toString();
    else if (x.field === 2) pkg = x.bytes.toString();
    else if (x.field === 4) messages.push(x.bytes);
  }
  return { name, pkg, messages };
}

/** Every gzipped descriptor of a k8s.io generated.proto file in the binary. */
export function findDescriptors(binary) {
  const magic = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00]);
  const files = new Map();
  for (let i = binary.indexOf(magic); i >= 0; i = binary.indexOf(magic, i + 1)) {
    let data;
    try {
      // Raw inflate after the 10-byte gzip header stops at the end of the stream, whatever follows.
      data = zlib.inflateRawSync(binary.subarray(i + 10, i + 10 + 4 * 1024 * 1024), {
        finishFlush: zlib.constants.Z_SYNC_FLUSH,
      });
    } catch {
      continue;
    }
    try {
      const file = decodeFile(data);
      if (file.name.startsWith('k8s.io/') && file.name.endsWith('generated.proto')) files.set(file.pkg, file);
    } catch {
      // Not a descriptor: some other gzipped blob.
    }
  }
  return files;
}

/**
 * Go struct tags kept in the binary for reflection (`json:"replicas,omitempty" protobuf:"varint,1,
 * opt,name=replicas"`), by protobuf wire type, number and name → whether each JSON tag omits
 * zero values. Tags are stored once per distinct text, not per struct, so one key can answer
 * both ways; the caller then falls back to the JSON model.
 */
export function findStructTags(binary) {
  const text = binary.toString('latin1');
  const re = /(?:[a-zA-Z]+:"[^"]*" ?)*protobuf:"([^"]*)"(?: ?[a-zA-Z]+:"[^"]*")*/g;
  const tags = new Map();
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const json = /json:"([^"]*)"/.exec(m[0])?.[1];
    if (json === undefined) continue;
    const [wire, number, ...rest] = m[1].split(',');
    const key = `${wire},${number},${rest.find((p) => p.startsWith('name=')) ?? ''}`;
    if (!tags.has(key)) tags.set(key, new Set());
    tags.get(key).add(json.split(',').includes('omitempty'));
  }
  return tags;
}
