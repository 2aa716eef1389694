// The pure parts of the OPC UA client, without a server: input coercion per type, JSON
// forms of values, security names, node id syntax, endpoint choice and certificate details.
import { DataType, Variant, VariantArrayType } from 'node-opcua';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  certificateDer,
  derToPem,
  describeCertificate,
  firstOfChain,
} from '../../../drivers/opcua/certificate-info';
import { checkRange, coerceInput, type TargetType } from '../../../drivers/opcua/coerce';
import { selectEndpoint } from '../../../drivers/opcua/endpoint-select';
import { describeOffers, type OfferedEndpoint } from '../../../drivers/opcua/endpoints';
import { parseNodeId } from '../../../drivers/opcua/node-id';
import { parseSecurityMode, parseSecurityPolicy } from '../../../drivers/opcua/security';
import { variantToJson } from '../../../drivers/opcua/value-json';
import { stationDataDir } from '../../support/opcua';

const type = (builtIn: DataType, enumValues: Map<number, string> | null = null): TargetType => ({
  builtIn,
  name: DataType[builtIn]!,
  enumValues,
});
const coerce = (raw: string | number | boolean, t: TargetType) => {
  const r = coerceInput(raw, t, 'x');
  return r.ok ? r.value.json : r.error.code;
};

describe('coerceInput', () => {
  it.each([
    [DataType.SByte, '-128', -128, '-129'],
    [DataType.Byte, '255', 255, '256'],
    [DataType.Int16, '-32768', -32768, '32768'],
    [DataType.UInt16, '65535', 65535, '-1'],
    [DataType.Int32, '2147483647', 2147483647, '2147483648'],
    [DataType.UInt32, '4294967295', 4294967295, '4294967296'],
    [DataType.Int64, '-9223372036854775808', '-9223372036854775808', '9223372036854775808'],
    [DataType.UInt64, '18446744073709551615', '18446744073709551615', '18446744073709551616'],
  ])('%s takes its whole range and nothing beyond', (t, edge, json, beyond) => {
    expect(coerce(edge, type(t))).toEqual(json);
    expect(coerce(beyond, type(t))).toBe('out_of_range');
    expect(coerce('1.5', type(t))).toBe('bad_type');
    expect(coerce('', type(t))).toBe('bad_type');
    expect(coerce('0x10', type(t))).toBe('bad_type');
  });

  it('sends 64-bit integers as [high, low] words', () => {
    const r = coerceInput('-2', type(DataType.Int64), 'x');
    expect(r.ok && r.value.variantValue).toEqual([0xffffffff, 0xfffffffe]);
    const v = new Variant({
      dataType: DataType.Int64,
      arrayType: VariantArrayType.Scalar,
      value: [0xffffffff, 0xfffffffe],
    });
    expect(variantToJson(v)).toBe('-2');
  });

  it('floats must be finite numbers; Float has its own range', () => {
    expect(coerce('1e3', type(DataType.Double))).toBe(1000);
    expect(coerce(-0.5, type(DataType.Double))).toBe(-0.5);
    for (const bad of ['NaN', 'nan', 'Infinity', '-Infinity', 1 / 0])
      expect(coerce(bad, type(DataType.Double))).toBe('out_of_range');
    expect(coerce('1e39', type(DataType.Float))).toBe('out_of_range');
    expect(coerce('1e39', type(DataType.Double))).toBe(1e39);
    expect(coerce(' ', type(DataType.Double))).toBe('bad_type');
  });

  it('booleans, strings, times, enumerations', () => {
    expect(['TRUE', '1', true, 1].map((v) => coerce(v, type(DataType.Boolean)))).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['false', '0', false].map((v) => coerce(v, type(DataType.Boolean)))).toEqual([
      false,
      false,
      false,
    ]);
    expect(coerce('yes', type(DataType.Boolean))).toBe('bad_type');
    expect(coerce(' padded ', type(DataType.String))).toBe(' padded ');
    expect(coerce('2026-11-26T10:00:00Z', type(DataType.DateTime))).toBe(
      '2026-11-26T10:00:00.000Z',
    );
    expect(coerce('tomorrow', type(DataType.DateTime))).toBe('bad_type');
    const modes = type(
      DataType.Int32,
      new Map([
        [0, 'Off'],
        [5, 'On'],
      ]),
    );
    expect([coerce('on', modes), coerce('5', modes), coerce('1', modes)]).toEqual([
      5,
      5,
      'out_of_range',
    ]);
    expect(coerce('x', type(DataType.ByteString))).toBe('bad_type');
  });

  it('checkRange applies an EURange to numbers only', () => {
    const n = coerceInput('10', type(DataType.Double), 'x');
    if (!n.ok) throw new Error();
    expect(checkRange(n.value, { low: 0, high: 10 }, 'x').ok).toBe(true);
    expect(checkRange(n.value, { low: 0, high: 9.99 }, 'x').ok).toBe(false);
    expect(checkRange(n.value, null, 'x').ok).toBe(true);
  });
});

describe('variantToJson', () => {
  const v = (dataType: DataType, value: unknown, arrayType = VariantArrayType.Scalar) =>
    variantToJson(new Variant({ dataType, arrayType, value }));
  it('gives plain JSON values', () => {
    expect(v(DataType.Double, 1.5)).toBe(1.5);
    expect(v(DataType.UInt64, [1, 0])).toBe('4294967296');
    expect(v(DataType.DateTime, new Date(Date.UTC(2026, 0, 1)))).toBe('2026-01-01T00:00:00.000Z');
    expect(v(DataType.ByteString, Buffer.from('hi'))).toBe('aGk=');
    expect(v(DataType.LocalizedText, { text: 'Hello' })).toBe('Hello');
    expect(v(DataType.Double, [1, 2], VariantArrayType.Array)).toEqual([1, 2]);
    expect(variantToJson(null)).toBeNull();
  });
});

describe('names', () => {
  it('security modes and policies', () => {
    expect(parseSecurityMode('SignAndEncrypt')).toEqual({ ok: true, value: 'sign-encrypt' });
    expect(parseSecurityMode('plain').ok).toBe(false);
    expect(parseSecurityPolicy('aes256_sha256_rsapss')).toEqual({
      ok: true,
      value: 'Aes256_Sha256_RsaPss',
    });
    expect(
      parseSecurityPolicy('http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256'),
    ).toEqual({ ok: true, value: 'Basic256Sha256' });
    const obsolete = parseSecurityPolicy(
      'http://opcfoundation.org/UA/SecurityPolicy#Basic128Rsa15',
    );
    expect(!obsolete.ok && obsolete.error.code).toBe('policy_obsolete');
  });

  it('node ids', () => {
    expect(parseNodeId('i=85').ok).toBe(true);
    expect(parseNodeId('ObjectsFolder').ok).toBe(true);
    expect(parseNodeId('nsu=urn:a:b;s=Tag').ok && parseNodeId('nsu=urn:a:b;s=Tag')).toMatchObject({
      value: { namespaceUri: 'urn:a:b', rest: 's=Tag' },
    });
    for (const bad of ['', 'ns=2;s=', 'ns=x;i=1', 'nsu=urn:a;', 'hello world'])
      expect(parseNodeId(bad).ok).toBe(false);
  });
});

describe('selectEndpoint', () => {
  const endpoint = (
    securityMode: OfferedEndpoint['securityMode'],
    securityPolicy: string,
    securityLevel = 1,
    userTokens: OfferedEndpoint['userTokens'] = ['username'],
  ): OfferedEndpoint => ({
    endpointUrl: 'opc.tcp://plc:4840',
    securityMode,
    securityPolicy,
    securityLevel,
    userTokens,
    serverCertificate: null,
  });
  const offered = [
    endpoint('sign', 'Basic256Sha256'),
    endpoint('sign-encrypt', 'Basic256Sha256', 5),
    endpoint('sign-encrypt', 'Basic256Sha256', 9, ['certificate']),
    endpoint('sign-encrypt', 'Basic128Rsa15'),
  ];

  it('names modes that share policies together and marks obsolete ones', () => {
    expect(describeOffers(offered)).toBe(
      'sign with Basic256Sha256; sign-encrypt with Basic256Sha256, Basic128Rsa15 (obsolete)',
    );
    expect(
      describeOffers([
        endpoint('sign', 'Basic256Sha256'),
        endpoint('sign-encrypt', 'Basic256Sha256'),
        endpoint('none', 'None'),
      ]),
    ).toBe('sign and sign-encrypt with Basic256Sha256; none');
  });

  it('picks the most secure endpoint that takes the user token', () => {
    const chosen = selectEndpoint('u', offered, 'sign-encrypt', 'Basic256Sha256', 'username');
    expect(chosen.ok && chosen.value.securityLevel).toBe(5);
    const token = selectEndpoint('u', offered, 'sign', 'Basic256Sha256', 'anonymous');
    expect(!token.ok && token.error.message).toBe(
      'u does not accept anonymous users with security sign and Basic256Sha256; it accepts user names and passwords',
    );
  });
});

describe('certificate details', () => {
  it('reads the station certificate: names, URI, validity; PEM and DER alike', async () => {
    const dataDir = await stationDataDir();
    const pem = readFileSync(
      join(dataDir, 'pki', 'own', 'certs', 'client_certificate.pem'),
      'utf8',
    );
    const info = describeCertificate(pem);
    expect(info.ok && info.value).toMatchObject({
      thumbprint: expect.stringMatching(/^[0-9a-f]{40}$/),
      subject: expect.stringContaining('CN=Microgrid Station@'),
      selfSigned: true,
      applicationUri: expect.stringMatching(/^urn:.+:MicrogridStation$/),
    });
    const days = info.ok
      ? (Date.parse(info.value.notAfter) - Date.parse(info.value.notBefore)) / 86_400_000
      : 0;
    expect(Math.round(days)).toBe(3650);
    const der = certificateDer(pem);
    expect(der.ok).toBe(true);
    if (!der.ok) return;
    expect(describeCertificate(der.value)).toEqual(info);
    expect(firstOfChain(Buffer.concat([der.value, der.value]))).toEqual(der.value);
    expect(certificateDer(derToPem(der.value))).toEqual(der);
    expect(certificateDer('not a certificate').ok).toBe(false);
    expect(describeCertificate(Buffer.from('garbage')).ok).toBe(false);
  });
});
