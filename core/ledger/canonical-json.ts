// RFC 8785 JSON Canonicalization Scheme (JCS): the one byte form of an entry or block
// header that is hashed and signed, so anyone can re-create it from the JSON alone.
//   - objects: members sorted by their names as UTF-16 code units (JS string order),
//     no whitespace; members whose value is `undefined` are left out (as JSON.stringify
//     does), so an optional field that is absent and one set to undefined hash the same;
//   - strings: ECMAScript JSON.stringify escaping, which is what JCS prescribes; lone
//     surrogates are refused (JCS requires I-JSON input);
//   - numbers: ECMAScript Number-to-String (JCS §3.2.2.3); NaN and ±Infinity are refused.
//     -0 serializes as 0. The ledger schemas only admit safe integers for money and
//     energy, so floats never reach a hash through them.

export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A value that cannot be canonicalized (non-finite number, lone surrogate, bigint, …). */
export class CanonicalJsonError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(`${path || '(root)'}: ${message}`);
    this.name = 'CanonicalJsonError';
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function canonicalize(value: unknown): string {
  return write(value, '');
}

function write(value: unknown, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError('number is not finite', path);
      // Number#toString is exactly the ECMAScript serialization JCS refers to; -0 → "0".
      return Object.is(value, -0) ? '0' : String(value);
    case 'string':
      return writeString(value, path);
    case 'object':
      return Array.isArray(value) ? writeArray(value, path) : writeObject(value as object, path);
    default:
      throw new CanonicalJsonError(`${typeof value} is not JSON`, path);
  }
}

function writeString(text: string, path: string): string {
  if (LONE_SURROGATE.test(text)) throw new CanonicalJsonError('string has a lone surrogate', path);
  return JSON.stringify(text);
}

function writeArray(items: readonly unknown[], path: string): string {
  const parts: string[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    // JSON.stringify would turn undefined into null silently; a hash must not guess.
    if (item === undefined) throw new CanonicalJsonError('undefined is not JSON', `${path}[${i}]`);
    parts.push(write(item, `${path}[${i}]`));
  }
  return `[${parts.join(',')}]`;
}

function writeObject(object: object, path: string): string {
  const proto = Object.getPrototypeOf(object) as unknown;
  if (proto !== Object.prototype && proto !== null)
    throw new CanonicalJsonError('only plain objects are JSON', path);
  const record = object as Record<string, unknown>;
  // Default sort compares UTF-16 code units, which is the JCS member order.
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort();
  const parts = keys.map((key) => {
    const child = path ? `${path}.${key}` : key;
    return `${writeString(key, child)}:${write(record[key], child)}`;
  });
  return `{${parts.join(',')}}`;
}
