// Failures of browse/read/write/call in words: a Bad status the server answered for one
// node, or a request that failed as a whole (lost connection, timeout).
import type { StatusCode } from 'node-opcua';
import { describeFailure, statusNameOf } from './connect-errors';
import { opcuaError, type OpcuaError, type OpcuaErrorCode } from './opcua-error';
import type { OpcuaSession } from './opcua-session';

const STATUS_CODES: Record<string, OpcuaErrorCode> = {
  BadNodeIdUnknown: 'node_not_found',
  BadNodeIdInvalid: 'node_not_found',
  BadMethodInvalid: 'node_not_found',
  BadNotReadable: 'not_readable',
  BadNotWritable: 'not_writable',
  BadUserAccessDenied: 'not_writable',
  BadNotExecutable: 'not_executable',
  BadOutOfRange: 'out_of_range',
  BadTypeMismatch: 'bad_type',
  BadInvalidArgument: 'bad_arguments',
  BadArgumentsMissing: 'bad_arguments',
  BadTooManyArguments: 'bad_arguments',
  BadAttributeIdInvalid: 'not_readable',
};

/** A Bad status for one node: "node ns=2;s=X: … (BadOutOfRange)". */
export function statusProblem(
  status: StatusCode,
  nodeId: string,
  s: OpcuaSession,
  what: string,
): OpcuaError {
  const name = status.name;
  const code = STATUS_CODES[name] ?? 'server_error';
  const reason: Partial<Record<OpcuaErrorCode, string>> = {
    node_not_found: `does not exist on ${s.endpointUrl}`,
    not_readable: 'cannot be read',
    not_writable: 'may not be written by this user',
    not_executable: 'may not be executed by this user',
    out_of_range: 'refused the value as out of range',
    bad_type: 'refused the value as the wrong type',
    bad_arguments: 'refused the arguments',
  };
  return opcuaError(
    code,
    `${what} ${nodeId}: ${reason[code] ?? 'the server answered an error'} (${name})`,
    { statusCode: name, nodeId },
  );
}

/** A request that failed as a whole. */
export function failureOf(error: unknown, s: OpcuaSession, what: string): OpcuaError {
  if (s.closed)
    return opcuaError('closed', `${what} failed: the session to ${s.endpointUrl} is closed`);
  const described = describeFailure(error, { endpointUrl: s.endpointUrl });
  const status = statusNameOf(error);
  return status && STATUS_CODES[status]
    ? opcuaError(STATUS_CODES[status]!, `${what} failed: ${described.message}`, {
        statusCode: status,
      })
    : { ...described, message: `${what} failed: ${described.message}` };
}
