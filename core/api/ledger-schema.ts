// Shapes of the ledger and account requests.
import { z } from 'zod';
import { TOP_UP_METHODS } from './ledger-api';

const memberId = z.string().min(1).max(63);
const epochMs = z.number().int().min(0).max(8.64e15);

export const ledgerBlocksSchema = z.strictObject({
  beforeHeight: z.number().int().min(0).optional(),
  limit: z.number().int().min(1).max(500).optional(),
});

export const ledgerEntriesSchema = z.strictObject({
  beforeSeq: z.number().int().min(1).optional(),
  limit: z.number().int().min(1).max(500).optional(),
  kind: z.string().min(1).max(40).optional(),
  memberId: memberId.optional(),
});

export const topUpSchema = z.strictObject({
  memberId,
  amountMinor: z.number().int('must be whole minor units').min(1).max(1e9),
  method: z.enum(TOP_UP_METHODS),
  reference: z.string().max(200),
});

export const statementSchema = z
  .strictObject({ memberId, fromMs: epochMs, toMs: epochMs })
  .refine((s) => s.toMs > s.fromMs, { message: 'toMs must be after fromMs', path: ['toMs'] });
