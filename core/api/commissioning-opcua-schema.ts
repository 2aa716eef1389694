// Shapes of the OPC UA commissioning requests. Security rules (none only when allowed, no
// policy with none) are checked here too, so a bad request never opens a connection.
import { z } from 'zod';
import { nodeIdSchema } from '../site/site-schema';
import { OPCUA_SECURITY_MODES, OPCUA_SECURITY_POLICIES } from '../site/site-types';
import { opcuaPassword } from './commissioning-schema';

const opcuaUrl = z
  .string()
  .max(300)
  .regex(/^opc\.tcp:\/\/[^\s/:]+(:\d{1,5})?(\/\S*)?$/i, 'must be an opc.tcp://host:port URL');
const deviceId = z.string().min(1).max(63);

const connection = z
  .strictObject({
    url: opcuaUrl,
    securityMode: z.enum(OPCUA_SECURITY_MODES),
    securityPolicy: z.enum(OPCUA_SECURITY_POLICIES).optional(),
    allowInsecure: z.boolean().optional(),
    username: z.string().trim().min(1, 'must not be empty').max(256).optional(),
    password: opcuaPassword.optional(),
  })
  .superRefine((c, ctx) => {
    const issue = (path: string, message: string): void =>
      void ctx.addIssue({ code: 'custom', path: [path], message });
    if (c.securityMode === 'none') {
      if (c.securityPolicy !== undefined && c.securityPolicy !== 'None')
        issue('securityPolicy', 'must be None (or left out) with securityMode none');
      if (c.allowInsecure !== true)
        issue('allowInsecure', 'must be true for securityMode none (unsigned clear text)');
    } else if (c.securityPolicy === 'None') {
      issue('securityPolicy', `must not be None with securityMode ${c.securityMode}`);
    }
    if (c.password !== undefined && c.username === undefined) issue('password', 'needs a username');
  });

type Target = { deviceId?: string; connection?: unknown };
const oneTarget = (p: Target): boolean =>
  (p.deviceId === undefined) !== (p.connection === undefined);

/** Exactly one of `deviceId` and `connection`, plus the method's own fields. */
function targeted<T extends z.ZodRawShape>(shape: T) {
  return z
    .strictObject({ deviceId: deviceId.optional(), connection: connection.optional(), ...shape })
    .refine((p) => oneTarget(p as Target), {
      message: 'give either deviceId or connection',
      path: ['deviceId'],
    });
}

export const opcuaUrlSchema = z.strictObject({ url: opcuaUrl });

export const opcuaTrustSchema = z.strictObject({
  url: opcuaUrl,
  thumbprint: z
    .string()
    .regex(/^[0-9a-fA-F]{40}$/, 'must be the 40-digit SHA-1 thumbprint')
    .transform((t) => t.toLowerCase()),
  decision: z.enum(['trust', 'reject']),
});

export const opcuaBrowseSchema = targeted({ nodeId: nodeIdSchema.optional() });

export const opcuaReadSchema = targeted({
  nodeIds: z.array(nodeIdSchema).min(1).max(1000),
});

export const opcuaWriteSchema = targeted({
  nodeId: nodeIdSchema,
  value: z.union([
    z.number().refine(Number.isFinite, 'must be a finite number'),
    z.boolean(),
    z.string().max(4096),
  ]),
});
