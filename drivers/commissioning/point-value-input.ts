// A value as a technician types it, turned into what the SunSpec encoder takes: numbers for
// numeric points, enum symbols by name (`ENABLED`), bitfield symbols joined by "+"
// (`CHARGE+DiSCHARGE`), text as is. Refusals list what would have been accepted.
import { fail, ok, type Result } from '../../core/result';
import type { SunspecInput, SunspecPointDef } from '../sunspec/model-types';
import { isIntegerType } from '../sunspec/point-types';
import { commissioningError, type CommissioningError } from './commissioning-error';

const DECIMAL = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$/i;
const HEX = /^0x[0-9a-f]+$/i;
const WIDE_TYPES = new Set(['int64', 'uint64', 'acc64']);

type Parsed = Result<SunspecInput, CommissioningError>;

const wrongType = (label: string, text: string, expected: string): Parsed =>
  fail(commissioningError('wrong_type', `${label}: "${text}" is not ${expected}`));

function symbolList(symbols: Readonly<Record<string, number>>): string {
  return Object.entries(symbols)
    .map(([name, v]) => `${name}=${v}`)
    .join(', ');
}

function findSymbol(symbols: Readonly<Record<string, number>>, name: string): number | undefined {
  if (Object.hasOwn(symbols, name)) return symbols[name];
  const folded = Object.keys(symbols).filter((k) => k.toLowerCase() === name.toLowerCase());
  return folded.length === 1 ? symbols[folded[0]!] : undefined;
}

function parseNumber(text: string, allowHex: boolean): number | null {
  if (allowHex && HEX.test(text)) return parseInt(text.slice(2), 16);
  return DECIMAL.test(text) ? Number(text) : null;
}

function parseEnum(point: SunspecPointDef, label: string, text: string): Parsed {
  const symbols = point.symbols;
  const named = symbols ? findSymbol(symbols, text) : undefined;
  if (named !== undefined) return ok(named);
  const number = parseNumber(text, true);
  if (!symbols) {
    return number !== null && Number.isInteger(number)
      ? ok(number)
      : wrongType(label, text, 'an integer');
  }
  if (number !== null && Object.values(symbols).includes(number)) return ok(number);
  return fail(
    commissioningError(
      'out_of_range',
      `${label}: "${text}" is not one of its values (${symbolList(symbols)})`,
    ),
  );
}

function parseBitfield(point: SunspecPointDef, label: string, text: string): Parsed {
  const number = parseNumber(text, true);
  if (number !== null) {
    return Number.isInteger(number) ? ok(number) : wrongType(label, text, 'an integer');
  }
  const symbols = point.symbols;
  if (!symbols) return wrongType(label, text, 'an integer');
  let value = 0;
  for (const name of text.split(/[+,|]/).map((s) => s.trim())) {
    const bit = findSymbol(symbols, name);
    if (bit === undefined) {
      return fail(
        commissioningError(
          'out_of_range',
          `${label}: "${name}" is not one of its bits (${symbolList(symbols)}); join bits with +`,
        ),
      );
    }
    // Addition rather than `|`, which would turn bit 31 negative; a repeated name counts once.
    if (Math.floor(value / 2 ** bit) % 2 === 0) value += 2 ** bit;
  }
  return ok(value);
}

/** The typed value for `point`, or why `text` cannot be one. */
export function parsePointValue(point: SunspecPointDef, text: string, label: string): Parsed {
  const trimmed = text.trim();
  if (trimmed === '' && point.type !== 'string') return wrongType(label, text, 'a value');
  switch (point.type) {
    case 'enum16':
    case 'enum32':
      return parseEnum(point, label, trimmed);
    case 'bitfield16':
    case 'bitfield32':
      return parseBitfield(point, label, trimmed);
    case 'float32':
    case 'float64': {
      const number = parseNumber(trimmed, false);
      return number === null ? wrongType(label, text, 'a number') : ok(number);
    }
    case 'string':
    case 'ipaddr':
    case 'ipv6addr':
    case 'eui48':
      return ok(point.type === 'string' ? text : trimmed);
    case 'pad':
      return fail(commissioningError('read_only', `${label} is padding, not a value`));
    default:
      break;
  }
  if (!isIntegerType(point.type)) return wrongType(label, text, 'a value');
  // Unscaled integers may be typed in hex; scaled ones only in decimal, to keep 0x10 from
  // meaning 16 in units the technician did not intend.
  const number = parseNumber(trimmed, point.sf === null);
  if (number === null) return wrongType(label, text, 'a number');
  // 64-bit points keep the typed decimal, so that no digit is lost on the way to a bigint.
  if (WIDE_TYPES.has(point.type) && DECIMAL.test(trimmed) && !/e/i.test(trimmed))
    return ok(trimmed.replace(/^\+/, ''));
  return ok(number);
}
