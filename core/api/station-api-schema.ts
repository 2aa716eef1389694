// Runtime validation of everything that arrives over IPC or WebSocket. The TypeScript
// contract (station-api.ts) says what is allowed; these schemas make sure it is so.
import { ROLES, USER_NAME_PATTERN, USER_NAME_RULE } from './auth-roles';
import { z } from 'zod';
import {
  deviceEnableSchema,
  deviceIdSchema,
  deviceInputSchema,
  deviceTargetSchema,
  deviceUpdateSchema,
  pointWriteSchema,
  registerQuerySchema,
  scanIdSchema,
  scanRequestSchema,
} from './commissioning-schema';
import {
  opcuaBrowseSchema,
  opcuaReadSchema,
  opcuaTrustSchema,
  opcuaUrlSchema,
  opcuaWriteSchema,
} from './commissioning-opcua-schema';
import {
  cancelOrderSchema,
  manualOrderSchema,
  marketIntervalSchema,
  memberPreferencesInputSchema,
} from './market-schema';
import {
  ledgerBlocksSchema,
  ledgerEntriesSchema,
  statementSchema,
  topUpSchema,
} from './ledger-schema';
import { controlConfigRequestSchema, strategiesSchema } from './control-schema';

const deviceId = z.string().min(1).max(63);
const finite = z.number().refine(Number.isFinite, 'must be a finite number');
/** Operator setpoints: shapes only; the safety envelope decides what reaches a device. */
const setpointSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('battery'),
    deviceId,
    powerW: finite.refine((v) => Math.abs(v) <= 1e7, 'too large'),
  }),
  z.strictObject({
    kind: z.literal('pv-limit'),
    deviceId,
    limitPct: finite.refine((v) => v >= 0 && v <= 100, 'must be 0–100'),
  }),
  z.strictObject({ kind: z.literal('load'), deviceId, on: z.boolean() }),
]);
import type { RequestMethod } from './station-api';

const empty = z
  .strictObject({})
  .optional()
  .transform(() => ({}));
const epochMs = z.number().int().min(0).max(8.64e15);

const userName = z.string().regex(USER_NAME_PATTERN, USER_NAME_RULE);
/** Length is checked by the station (core/auth/password-hash.ts) with a clearer message. */
const password = z.string().max(2048);
const roleSchema = z.enum(ROLES);

export const historyQuerySchema = z
  .strictObject({
    point: z.string().min(1).max(200),
    fromMs: epochMs,
    toMs: epochMs,
    resolution: z.enum(['auto', 'raw', '1m']).optional(),
    maxPoints: z.number().int().min(1).max(10_000).optional(),
  })
  .refine((q) => q.toMs >= q.fromMs, { message: 'toMs must not be before fromMs', path: ['toMs'] });

export const requestParamSchemas: Record<RequestMethod, z.ZodType> = {
  'station.health': empty,
  'site.get': empty,
  'snapshot.get': empty,
  'devices.list': empty,
  'history.get': historyQuerySchema,
  'profiles.list': empty,
  'site.state': empty,
  'devices.add': deviceInputSchema,
  'devices.update': deviceUpdateSchema,
  'devices.remove': deviceIdSchema,
  'devices.enable': deviceEnableSchema,
  'scan.start': scanRequestSchema,
  'scan.cancel': scanIdSchema,
  'scan.get': scanIdSchema,
  'sunspec.read': deviceTargetSchema,
  'registers.read': registerQuerySchema,
  'sunspec.planWrite': pointWriteSchema,
  'sunspec.write': pointWriteSchema,
  'opcua.endpoints': opcuaUrlSchema,
  'opcua.trust': opcuaTrustSchema,
  'opcua.certificates': empty,
  'opcua.browse': opcuaBrowseSchema,
  'opcua.read': opcuaReadSchema,
  'opcua.planWrite': opcuaWriteSchema,
  'opcua.write': opcuaWriteSchema,
  'market.state': empty,
  'market.interval': marketIntervalSchema,
  'market.submitOrder': manualOrderSchema,
  'market.cancelOrder': cancelOrderSchema,
  'market.preferences': empty,
  'market.setPreferences': memberPreferencesInputSchema,
  'ledger.summary': empty,
  'ledger.blocks': ledgerBlocksSchema,
  'ledger.entries': ledgerEntriesSchema,
  'ledger.verify': empty,
  'ledger.statement': statementSchema,
  'accounts.list': empty,
  'accounts.topUp': topUpSchema,
  'control.state': empty,
  'control.setMode': z.strictObject({ mode: z.enum(['auto', 'monitor']) }),
  'control.setStrategies': z.strictObject({ strategies: strategiesSchema }),
  'control.previewConfig': controlConfigRequestSchema,
  'control.setConfig': controlConfigRequestSchema,
  'control.preview': z.strictObject({ setpoint: setpointSchema }),
  'control.command': z.strictObject({
    setpoint: setpointSchema,
    durationS: z.number().int().min(10).max(86_400),
  }),
  'control.release': z.strictObject({ deviceId: z.string().min(1).max(63) }),
  'alarms.list': empty,
  'alarms.history': z.strictObject({
    beforeId: z.number().int().min(1).optional(),
    limit: z.number().int().min(1).max(500).optional(),
  }),
  'alarms.ack': z.strictObject({ id: z.number().int().min(1) }),
  'auth.session': empty,
  'auth.changePassword': z.strictObject({ currentPassword: password, newPassword: password }),
  'users.list': empty,
  'users.add': z.strictObject({ name: userName, role: roleSchema, password }),
  'users.setRole': z.strictObject({ name: userName, role: roleSchema }),
  'users.setPassword': z.strictObject({ name: userName, password }),
  'users.remove': z.strictObject({ name: userName }),
};

export const clientMessageSchema = z.strictObject({
  type: z.literal('request'),
  id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  method: z.string().max(100),
  params: z.unknown().optional(),
});
