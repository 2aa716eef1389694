// Validation of a site file (JSON) into a Site. Every problem is reported with the path of
// the bad field (`devices[3].url: …`) so an operator can fix the file without guessing.
import { z } from 'zod';
import { POINT_UNITS } from '../points/point-names';
import { fail, ok, type Problem, type Result } from '../result';
import { islandTerms } from '../market/island-rules';
import { MAX_PRICE_MICRO_PER_KWH } from '../market/price';
import { tariffsFromSite } from '../market/tariffs';
import { parseDeviceUrl } from './device-url';
import {
  DEVICE_ROLES,
  ISLAND_RULES,
  MARKET_INTERVALS_MIN,
  MARKET_MECHANISMS,
  MEMBER_KINDS,
  OPCUA_SECURITY_MODES,
  OPCUA_SECURITY_POLICIES,
  SITE_SCHEMA_VERSION,
  type Site,
} from './site-types';

const id = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,62}$/,
    'must be kebab-case: a–z, 0–9 and "-", at most 63 characters',
  );
const name = z.string().trim().min(1, 'must not be empty').max(120);
const watts = z.number().int('must be whole watts').min(0).max(1e9);
const price = z
  .number()
  .min(0, 'must not be negative')
  .max(1e6)
  .refine((v) => Math.abs(v * 1e4 - Math.round(v * 1e4)) < 1e-6, 'must have at most 4 decimals');

// Island prices are whole micro-currency units per kWh (0.201 EUR/kWh = 201000).
const microPrice = z
  .number()
  .int('must be whole micro-currency units per kWh (0.201 EUR/kWh = 201000)')
  .min(0, 'must not be negative')
  .max(MAX_PRICE_MICRO_PER_KWH);

const feeder = z.strictObject({
  id,
  name,
  parentId: id.nullable(),
  linkCapacityWh: z.number().int().positive().nullable(),
});

const member = z.strictObject({
  id,
  name,
  kind: z.enum(MEMBER_KINDS),
  feederId: id,
  critical: z.boolean(),
  prepaid: z.boolean(),
});

// OPC UA node ids in their text form: [ns=N; | nsu=URI;] then i=, s=, g= or b=.
const NODE_ID =
  /^(?:(?:ns=(\d{1,5})|nsu=[^;]+);)?(?:i=(\d{1,10})|s=.+|g=[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}|b=[A-Za-z0-9+/]+={0,2})$/is;
export const nodeIdSchema = z.string().refine((text) => {
  const match = NODE_ID.exec(text);
  return match !== null && Number(match[1] ?? 0) <= 0xffff && Number(match[2] ?? 0) <= 0xffffffff;
}, 'must be an OPC UA node id such as ns=2;s=Battery.PowerW, i=2258 or nsu=urn:vendor;s=Tag');
const pointName = z.enum(Object.keys(POINT_UNITS) as [keyof typeof POINT_UNITS], {
  error: `must be a canonical point: ${Object.keys(POINT_UNITS).join(', ')}`,
});

export const opcuaSettingsSchema = z
  .strictObject({
    securityMode: z.enum(OPCUA_SECURITY_MODES),
    securityPolicy: z.enum(OPCUA_SECURITY_POLICIES).optional(),
    allowInsecure: z.boolean().optional(),
    username: z.string().trim().min(1, 'must not be empty').max(256).optional(),
    samplingIntervalMs: z.number().int().min(0).max(3_600_000).optional(),
    publishingIntervalMs: z
      .number()
      .int()
      .min(50, 'must be at least 50 ms')
      .max(3_600_000)
      .optional(),
    points: z
      .array(
        z.strictObject({
          point: pointName,
          nodeId: nodeIdSchema,
          scale: z
            .number()
            .refine((v) => Number.isFinite(v) && v !== 0, 'must be a finite number other than 0')
            .optional(),
          invert: z.boolean().optional(),
          deadband: z.number().min(0, 'must not be negative').max(1e12).optional(),
        }),
      )
      .min(1, 'needs at least one point')
      .max(10_000),
  })
  .superRefine((o, ctx) => {
    const issue = (path: (string | number)[], message: string): void =>
      void ctx.addIssue({ code: 'custom', path, message });
    if (o.securityMode === 'none') {
      if (o.securityPolicy !== undefined && o.securityPolicy !== 'None')
        issue(['securityPolicy'], 'must be None (or left out) with securityMode none');
      if (o.allowInsecure !== true)
        issue(
          ['allowInsecure'],
          'must be true for securityMode none: the device is read unsigned and in clear text',
        );
    } else if (o.securityPolicy === 'None') {
      issue(['securityPolicy'], `must not be None with securityMode ${o.securityMode}`);
    }
    const seen = new Set<string>();
    o.points.forEach((p, i) => {
      if (seen.has(p.point)) issue(['points', i, 'point'], `duplicate point "${p.point}"`);
      seen.add(p.point);
    });
  });

const device = z
  .strictObject({
    id: id.refine((v) => v !== 'site', '"site" is reserved for the site totals'),
    name,
    url: z.string().superRefine((url, ctx) => {
      const parsed = parseDeviceUrl(url);
      if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error.message });
    }),
    role: z.enum(DEVICE_ROLES),
    memberId: id.nullable(),
    pollIntervalMs: z.number().int().min(100, 'must be at least 100 ms').max(3_600_000),
    enabled: z.boolean(),
    profile: id.optional(),
    opcua: opcuaSettingsSchema.optional(),
  })
  .superRefine((d, ctx) => {
    if (d.opcua && !d.url.startsWith('opc.tcp:'))
      ctx.addIssue({ code: 'custom', path: ['opcua'], message: 'only for opc.tcp:// devices' });
  });

const timezone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as Europe/Berlin');

export const siteSchema = z
  .strictObject({
    schemaVersion: z.literal(SITE_SCHEMA_VERSION, { error: `must be ${SITE_SCHEMA_VERSION}` }),
    id,
    name,
    timezone,
    location: z
      .strictObject({
        latitudeDeg: z.number().min(-90).max(90),
        longitudeDeg: z.number().min(-180).max(180),
      })
      .nullable(),
    tariffs: z.strictObject({
      currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR'),
      minorUnitDigits: z.number().int().min(0).max(4),
      feedInMinorPerKWh: price,
      retailMinorPerKWh: price,
      gridFeeMinorPerKWh: price,
    }),
    market: z.strictObject({
      intervalMinutes: z.union(
        MARKET_INTERVALS_MIN.map((m) => z.literal(m)),
        {
          error: `must be one of ${MARKET_INTERVALS_MIN.join(', ')}`,
        },
      ),
      mechanism: z.enum(MARKET_MECHANISMS).optional(),
      gateClosureMinutes: z.number().int().min(0).max(60).optional(),
      imbalance: z.strictObject({ shortMinorPerKWh: price, longMinorPerKWh: price }).optional(),
      island: z
        .strictObject({
          rule: z.enum(ISLAND_RULES).optional(),
          priceMicroPerKWh: microPrice.optional(),
          scarcityCapMicroPerKWh: microPrice.optional(),
        })
        .optional(),
    }),
    accounts: z
      .strictObject({
        lowBalanceMinor: z.number().int().min(0).max(1e12).optional(),
        disconnect: z
          .strictObject({
            enabled: z.boolean().optional(),
            minBalanceMinor: z.number().int().min(-1e12).max(1e12).optional(),
            night: z
              .strictObject({
                startMinute: z.number().int().min(0).max(1439),
                endMinute: z.number().int().min(0).max(1439),
              })
              .optional(),
            allowAtNight: z.boolean().optional(),
          })
          .optional(),
      })
      .optional(),
    grid: z.strictObject({ importLimitW: watts, exportLimitW: watts }),
    feeders: z.array(feeder).min(1, 'needs at least one feeder'),
    members: z.array(member),
    devices: z.array(device),
  })
  .superRefine((site, ctx) => {
    const issue = (path: (string | number)[], message: string): void =>
      void ctx.addIssue({ code: 'custom', path, message });
    if (site.tariffs.feedInMinorPerKWh > site.tariffs.retailMinorPerKWh) {
      issue(['tariffs', 'feedInMinorPerKWh'], 'must not exceed retailMinorPerKWh');
    }
    islandCap(site, issue);
    duplicates(site.feeders, (i) =>
      issue(['feeders', i, 'id'], `duplicate feeder id "${site.feeders[i]?.id}"`),
    );
    duplicates(site.members, (i) =>
      issue(['members', i, 'id'], `duplicate member id "${site.members[i]?.id}"`),
    );
    duplicates(site.devices, (i) =>
      issue(['devices', i, 'id'], `duplicate device id "${site.devices[i]?.id}"`),
    );
    const feederIds = new Set(site.feeders.map((f) => f.id));
    const memberIds = new Set(site.members.map((m) => m.id));
    site.feeders.forEach((f, i) => {
      if (f.parentId !== null && !feederIds.has(f.parentId))
        issue(['feeders', i, 'parentId'], `unknown feeder "${f.parentId}"`);
    });
    if (site.feeders.filter((f) => f.parentId === null).length !== 1) {
      issue(
        ['feeders'],
        'exactly one feeder must have parentId null (the one at the grid connection)',
      );
    }
    site.members.forEach((m, i) => {
      if (!feederIds.has(m.feederId))
        issue(['members', i, 'feederId'], `unknown feeder "${m.feederId}"`);
    });
    site.devices.forEach((d, i) => {
      if (d.memberId !== null && !memberIds.has(d.memberId))
        issue(['devices', i, 'memberId'], `unknown member "${d.memberId}"`);
    });
    const gridMeters = site.devices.filter((d) => d.role === 'grid-meter');
    if (gridMeters.length > 1)
      issue(['devices'], 'at most one device may have the role grid-meter');
  });

/** An explicit scarcity cap must leave room for the island price (given or default). */
function islandCap(site: Site, issue: (path: (string | number)[], message: string) => void): void {
  const cap = site.market.island?.scarcityCapMicroPerKWh;
  if (cap === undefined) return;
  const tariffs = tariffsFromSite(site.tariffs);
  if (!tariffs.ok) return; // reported on the tariffs themselves
  const price = islandTerms(site.market.island, tariffs.value).basePriceMicroPerKWh;
  if (cap < price) {
    const given = site.market.island?.priceMicroPerKWh !== undefined;
    issue(
      ['market', 'island', 'scarcityCapMicroPerKWh'],
      `must not be below the island price (${given ? '' : 'default, midpoint of feed-in and retail: '}${price})`,
    );
  }
}

function duplicates<T extends { id: string }>(
  items: readonly T[],
  report: (index: number) => void,
): void {
  const seen = new Set<string>();
  items.forEach((item, i) => (seen.has(item.id) ? report(i) : seen.add(item.id)));
}

/** `devices[3].url` from zod's path array. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) =>
      typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key),
    '',
  );
}

export function parseSite(input: unknown): Result<Site, Problem & { issues: Problem[] }> {
  const parsed = siteSchema.safeParse(input);
  if (parsed.success) return ok(parsed.data as Site);
  const issues = parsed.error.issues.map((i) => ({
    code: 'invalid_site',
    path: formatPath(i.path),
    message: `${formatPath(i.path) || 'site'}: ${i.message}`,
  }));
  const first = issues[0] ?? { code: 'invalid_site', message: 'invalid site' };
  const more =
    issues.length > 1
      ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})`
      : '';
  return fail({ ...first, message: first.message + more, issues });
}

/** Parses a site file's text: JSON syntax errors are reported like schema errors. */
export function parseSiteJson(text: string): Result<Site, Problem & { issues: Problem[] }> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    const problem = {
      code: 'invalid_json',
      message: `not valid JSON: ${(cause as Error).message}`,
    };
    return fail({ ...problem, issues: [problem] });
  }
  return parseSite(data);
}
