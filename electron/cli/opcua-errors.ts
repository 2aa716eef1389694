// An OPC UA failure as the CLI's one line: the driver's sentence, plus what to do where the
// CLI has a flag for it. Input mistakes exit 2, everything else 1.
import type { OpcuaError } from '../../drivers/opcua/opcua-error';
import { CliError, UsageError } from './cli-io';

const INPUT = new Set([
  'bad_url',
  'bad_options',
  'bad_node_id',
  'policy_obsolete',
  'insecure_not_allowed',
]);

export function opcuaCliError(error: OpcuaError): CliError {
  if (INPUT.has(error.code)) return new UsageError(error.message);
  if (error.code === 'certificate_untrusted')
    return new CliError(`${error.message}; trust it with --trust-server or on the Devices page`);
  return new CliError(error.message);
}

/** `{ code, message }` only: the JSON a script needs from a problem. */
export const problemJson = (problem: OpcuaError | null) =>
  problem && { code: problem.code, message: problem.message };
