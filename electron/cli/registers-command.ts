import {
  checkRegisterRequest,
  readRegisterWords,
  type RegisterWord,
} from '../../drivers/commissioning/registers';
import { READ_TIMEOUT_MS } from '../../drivers/commissioning/modbus-target';
import { parseNumberFlag, printJson, UsageError, type CliIo } from './cli-io';
import { COMMON_OPTIONS, type Command } from './command';
import { cliErrorFrom, timeoutFlag, urlArgument, withTarget } from './progress';

const HELP = `
Usage: microgrid registers URL --address A --count N [options]

Reads N raw registers of the unit in URL from address A and prints each as decimal, hex
and two characters (printable ASCII, else ".").

A is the 0-based address on the wire. SunSpec's "40000" is already one: --address 40000
shows the 'SunS' marker. Manuals often print 1-based numbers instead, in two styles:
plain (register 40001 is --address 40000) or Modicon 4xxxx (40001 is holding register
--address 0). The station does not convert them, because it cannot tell which style a
manual means: check the manual and subtract yourself.

Options:
  --address A      first register, 0–65535 (0-based)
  --count N        how many, 1–125 (the most one Modbus read carries)
  --function 3|4   3 = holding registers (default), 4 = input registers
  --timeout-ms N   reply timeout (default ${READ_TIMEOUT_MS})
  --json           print [{"address","value","hex"}]

Example:
  microgrid registers modbus-tcp://127.0.0.1:1502?unit=1 --address 40000 --count 4
`;

function chars(word: number): string {
  const char = (byte: number) => (byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.');
  return char(word >> 8) + char(word & 0xff);
}

function printText(io: CliIo, words: RegisterWord[]): void {
  const width = Math.max(7, ...words.map((w) => String(w.address).length));
  io.out(`${'address'.padEnd(width)}  ${'decimal'.padStart(7)}  hex     chars`);
  for (const w of words)
    io.out(
      `${String(w.address).padEnd(width)}  ${String(w.value).padStart(7)}  ${w.hex}  ${chars(w.value)}`,
    );
}

function requiredInteger(name: string, raw: unknown): number {
  if (raw === undefined) throw new UsageError(`registers needs --${name}`);
  return parseNumberFlag(name, raw as string, 0, 0x10000, 'integer') as number;
}

export const registersCommand: Command = {
  summary: 'read raw Modbus registers (0-based addresses), as decimal and hex',
  help: HELP,
  options: {
    ...COMMON_OPTIONS,
    address: { type: 'string' },
    count: { type: 'string' },
    function: { type: 'string' },
    'timeout-ms': { type: 'string' },
  },
  async run({ values, positionals, io }) {
    const url = urlArgument(positionals, 'registers');
    const address = requiredInteger('address', values.address);
    const count = requiredInteger('count', values.count);
    const fc = values.function === undefined ? 3 : Number(values.function);
    if (fc !== 3 && fc !== 4)
      throw new UsageError(
        `--function must be 3 (holding) or 4 (input), got "${String(values.function)}"`,
      );
    const request = { fc: fc as 3 | 4, address, count };
    const checked = checkRegisterRequest(request);
    if (!checked.ok) throw cliErrorFrom(checked.error);
    const timeoutMs = timeoutFlag(values['timeout-ms']) ?? READ_TIMEOUT_MS;
    return withTarget(url, async (target) => {
      const words = await readRegisterWords(target.unit(target.unitId, timeoutMs), request);
      if (!words.ok) throw cliErrorFrom(words.error);
      if (values.json) printJson(io, words.value);
      else printText(io, words.value);
      return 0;
    });
  },
};
