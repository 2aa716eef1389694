// A quirks file that cannot be trusted is refused, and the message names the field.
import { describe, expect, it } from 'vitest';
import rawQuirks from '../../../resources/sunspec/quirks.json';
import { parseQuirkTable } from '../../../drivers/sunspec/quirks';

const source = (quirks: string[]) => ({
  for: quirks,
  title: 'Vendor manual',
  url: 'https://example.org/manual',
  says: 'what the manual says',
});

const valid = {
  id: 'acme',
  description: 'Acme inverters',
  match: { manufacturer: { prefix: 'Acme' } },
  quirks: { singleConnection: true },
  source: [source(['singleConnection'])],
};

const messages = (input: unknown): string[] => {
  const parsed = parseQuirkTable(input);
  return parsed.ok ? [] : parsed.error.issues.map((i) => i.message);
};

const table = (...entries: unknown[]) => ({ schemaVersion: 1, entries });

describe('parseQuirkTable', () => {
  it('accepts the bundled file and a minimal valid table', () => {
    expect(parseQuirkTable(rawQuirks).ok).toBe(true);
    expect(parseQuirkTable(table(valid))).toMatchObject({
      ok: true,
      value: { entries: [{ id: 'acme', example: false, match: { model: null } }] },
    });
  });

  it('refuses a quirk that no source backs, and a source citing a quirk not set', () => {
    expect(
      messages(table({ ...valid, quirks: { singleConnection: true, unitIds: [126] } })),
    ).toEqual(['entries[0].quirks.unitIds: no source backs this quirk']);
    expect(
      messages(table({ ...valid, source: [source(['singleConnection', 'meterSignInverted'])] })),
    ).toEqual([
      'entries[0].source[0].for[1]: cites "meterSignInverted", which the entry does not set',
    ]);
  });

  it('lets example entries go without sources', () => {
    const example = { ...valid, example: true, source: [] };
    expect(parseQuirkTable(table(example)).ok).toBe(true);
    expect(messages(table({ ...valid, source: [] }))).toEqual([
      'entries[0].quirks.singleConnection: no source backs this quirk',
    ]);
  });

  it.each([
    [
      { ...valid, match: { manufacturer: { regex: '(' } } },
      'entries[0].match.manufacturer.regex: is not a valid regular expression',
    ],
    [
      { ...valid, quirks: { ...valid.quirks, turbo: true } },
      'entries[0].quirks: Unrecognized key: "turbo"',
    ],
    [{ ...valid, id: 'Acme Inc' }, 'entries[0].id: must be kebab-case'],
    [
      { ...valid, source: [{ ...source(['singleConnection']), url: 'http://example.org' }] },
      'entries[0].source[0].url: must be an https:// address',
    ],
    [
      { ...valid, quirks: { unitIds: [256] }, source: [source(['unitIds'])] },
      'entries[0].quirks.unitIds[0]: Too big: expected number to be <=255',
    ],
    [
      {
        ...valid,
        quirks: { unreadableRanges: [{ modelId: 123, point: 'Nope' }] },
        source: [source(['unreadableRanges'])],
      },
      'entries[0].quirks.unreadableRanges[0].point: model 123 has no top-level point "Nope"',
    ],
    [
      {
        ...valid,
        quirks: { unreadableRanges: [{ modelId: 64999, point: 'X' }] },
        source: [source(['unreadableRanges'])],
      },
      'entries[0].quirks.unreadableRanges[0].modelId: model 64999 is unknown; give offset and count',
    ],
    [
      {
        ...valid,
        quirks: { unreadableRanges: [{ modelId: 123, offset: 65000, count: 600 }] },
        source: [source(['unreadableRanges'])],
      },
      'entries[0].quirks.unreadableRanges[0].count: runs past the largest possible model length',
    ],
  ])('names the bad field: %#', (entry, message) => {
    expect(messages(table(entry))).toContain(message);
  });

  it('refuses duplicate ids, a wrong schema version and a non-object', () => {
    expect(messages(table(valid, valid))).toEqual(['entries[1].id: duplicate entry id "acme"']);
    expect(messages({ schemaVersion: 2, entries: [] })).toEqual(['schemaVersion: must be 1']);
    expect(messages(null)[0]).toMatch(/^quirks: /);
  });
});
