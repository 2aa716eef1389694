// node-opcua logs warnings and errors with console.log, i.e. to stdout, where they would
// break `--json` output. Every module of the station that loads node-opcua imports this
// one, which routes those lines to a sink instead. By default its errors go to stderr
// (rare: the station reports the failures it acts on as typed values anyway) and its
// warnings are dropped: they are chatter for the station's purposes, such as the PKCS#1
// v1.5 notice on Node 20, which does not concern the policies the station allows.
// MICROGRID_DEBUG=1 (or NODEOPCUA_LOG_LEVEL) shows the warnings too; a host can install its
// own sink to keep everything in a log.
import { format } from 'node:util';
import { setErrorLogger, setWarningLogger } from 'node-opcua';

export type OpcuaLogLevel = 'warning' | 'error';
export type OpcuaLogSink = (level: OpcuaLogLevel, text: string, origin: string) => void;

const debugging = (): boolean =>
  Boolean(process.env.MICROGRID_DEBUG || process.env.NODEOPCUA_LOG_LEVEL);

const stderrSink: OpcuaLogSink = (level, text, origin) => {
  if (level === 'error' || debugging())
    process.stderr.write(`node-opcua ${level} (${origin}): ${text}\n`);
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
