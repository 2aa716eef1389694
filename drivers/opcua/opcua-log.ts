// node-opcua logs warnings and errors with console.log, i.e. to stdout, where they would
// break `--json` output and the CLI's one-line errors. Every module of the station that
// loads node-opcua imports this one first, which routes those lines to a sink instead.
// The station reports every failure it acts on as a typed value, so by default node-opcua's
// own chatter (including its PKCS#1 v1.5 notice on Node 20, irrelevant because obsolete
// policies are refused) is dropped; MICROGRID_DEBUG=1 (or NODEOPCUA_LOG_LEVEL) brings
// it back on stderr, and a host can install its own sink to keep it in a log.
import { format } from 'node:util';
import { setErrorLogger, setWarningLogger } from 'node-opcua';

export type OpcuaLogLevel = 'warning' | 'error';
export type OpcuaLogSink = (level: OpcuaLogLevel, text: string, origin: string) => void;

const debugging = (): boolean =>
  Boolean(process.env.MICROGRID_DEBUG || process.env.NODEOPCUA_LOG_LEVEL);

const stderrSink: OpcuaLogSink = (level, text, origin) => {
  if (debugging()) process.stderr.write(`node-opcua ${level} (${origin}): ${text}\n`);
};

let sink: OpcuaLogSink = stderrSink;

interface LogContext {
  filename?: string;
  callerline?: number;
}

function route(level: OpcuaLogLevel) {
  return (data: unknown, ...args: unknown[]): void => {
    const context = (data ?? {}) as LogContext;
    const origin = `${context.filename ?? '?'}:${context.callerline ?? '?'}`;
    sink(level, format(...args), origin);
  };
}

setWarningLogger(route('warning'));
setErrorLogger(route('error'));

/** Sends node-opcua's warnings and errors to `next` (null: back to the default). */
export function setOpcuaLogSink(next: OpcuaLogSink | null): void {
  sink = next ?? stderrSink;
}
