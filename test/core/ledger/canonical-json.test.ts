import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../../core/ledger/canonical-json';

describe('canonicalize (RFC 8785)', () => {
  it('matches the RFC 8785 §3.2.2 example', () => {
    const input = JSON.parse(
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
    );
    expect(canonicalize(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts members by UTF-16 code units (RFC 8785 §3.2.3 example)', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    // Object.keys would list "1" first (array-index keys), so read the order off the text.
    const text = canonicalize(input);
    const keys = [...text.matchAll(/"((?:[^"\\]|\\.)*)":/g)].map((m) => JSON.parse(`"${m[1]}"`));
    expect(keys).toEqual(['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33']);
  });

  it('serializes numbers as ECMAScript does, -0 as 0', () => {
    expect(canonicalize([0, -0, 1, -1, 9007199254740991, 1e21, 1e-7, 0.1, 123.456])).toBe(
      '[0,0,1,-1,9007199254740991,1e+21,1e-7,0.1,123.456]',
    );
  });

  it('refuses what is not I-JSON: non-finite numbers, lone surrogates, bigint, undefined items, class instances', () => {
    expect(() => canonicalize({ a: NaN })).toThrow(/a: number is not finite/);
    expect(() => canonicalize([Infinity])).toThrow(/not finite/);
    expect(() => canonicalize({ s: 'x\ud800' })).toThrow(/lone surrogate/);
    expect(() => canonicalize({ n: 1n })).toThrow(/bigint is not JSON/);
    expect(() => canonicalize([undefined])).toThrow(/undefined is not JSON/);
    expect(() => canonicalize({ d: new Date(0) })).toThrow(/plain objects/);
  });

  it('leaves out members whose value is undefined, and nests', () => {
    expect(canonicalize({ b: { d: [1, { f: 'x', e: null }], c: undefined }, a: true })).toBe(
      '{"a":true,"b":{"d":[1,{"e":null,"f":"x"}]}}',
    );
  });
});
