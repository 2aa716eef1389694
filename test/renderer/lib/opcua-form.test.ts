import { describe, expect, it } from 'vitest';
import { POINT_UNITS as CORE_POINT_UNITS } from '../../../core/points/point-names';
import { parseSite } from '../../../core/site/site-schema';
import {
  connectionProblem,
  groupedThumbprint,
  guessPoint,
  parseScale,
  POINT_UNITS,
  securityChoices,
  toConnection,
  toOpcuaSettings,
  withMapping,
} from '../../../renderer/lib/opcua-form';
import { smallSite } from '../../core/site/site-fixture';

const offers = [
  { securityMode: 'none', securityPolicy: 'None', obsolete: false, userTokens: ['anonymous'] },
  {
    securityMode: 'sign',
    securityPolicy: 'Basic256Sha256',
    obsolete: false,
    userTokens: ['username'],
  },
  {
    securityMode: 'sign-encrypt',
    securityPolicy: 'Basic256',
    obsolete: true,
    userTokens: ['username'],
  },
  {
    securityMode: 'sign-encrypt',
    securityPolicy: 'Aes256_Sha256_RsaPss',
    obsolete: false,
    userTokens: ['username'],
  },
  {
    securityMode: 'sign-encrypt',
    securityPolicy: 'Basic256Sha256',
    obsolete: false,
    userTokens: ['anonymous'],
  },
  {
    securityMode: 'sign-encrypt',
    securityPolicy: 'Basic256Sha256',
    obsolete: false,
    userTokens: ['username'],
  },
  { securityMode: null, securityPolicy: 'Basic256Sha256', obsolete: false, userTokens: [] },
] as const;

describe('OPC UA add-device form', () => {
  it('offers current policies only, strongest first, none last and marked insecure', () => {
    const choices = securityChoices(offers.map((o) => ({ ...o, userTokens: [...o.userTokens] })));
    expect(choices.map((c) => c.key)).toEqual([
      'sign-encrypt/Basic256Sha256',
      'sign-encrypt/Aes256_Sha256_RsaPss',
      'sign/Basic256Sha256',
      'none/None',
    ]);
    expect(choices[0]?.userTokens).toEqual(['anonymous', 'username']);
    expect(choices.map((c) => c.insecure)).toEqual([false, false, false, true]);
  });

  it('asks for an opt-in for security none and a password for a user', () => {
    const [strong, , , none] = securityChoices(
      offers.map((o) => ({ ...o, userTokens: [...o.userTokens] })),
    );
    const base = { url: 'opc.tcp://plc:4840', acceptInsecure: false, username: '', password: '' };
    expect(connectionProblem({ ...base, choice: null })).toBe('security');
    expect(connectionProblem({ ...base, choice: none! })).toBe('insecure');
    expect(connectionProblem({ ...base, choice: none!, acceptInsecure: true })).toBeNull();
    expect(connectionProblem({ ...base, choice: strong!, username: 'op' })).toBe('password');
    expect(toConnection({ ...base, choice: none!, acceptInsecure: true })).toEqual({
      url: 'opc.tcp://plc:4840',
      securityMode: 'none',
      allowInsecure: true,
    });
    expect(toConnection({ ...base, choice: strong!, username: ' op ', password: 'pw' })).toEqual({
      url: 'opc.tcp://plc:4840',
      securityMode: 'sign-encrypt',
      securityPolicy: 'Basic256Sha256',
      username: 'op',
      password: 'pw',
    });
  });

  it('builds an opcua section the site schema accepts, without the password', () => {
    let mappings = withMapping([], {
      point: 'powerW',
      nodeId: 'ns=2;s=P',
      scale: '1000',
      invert: true,
    });
    mappings = withMapping(mappings, {
      point: 'socPct',
      nodeId: 'ns=2;s=Soc',
      scale: '',
      invert: false,
    });
    mappings = withMapping(mappings, {
      point: 'powerW',
      nodeId: 'ns=2;s=P2',
      scale: '1000',
      invert: true,
    });
    const settings = toOpcuaSettings(
      {
        url: 'opc.tcp://plc:4840',
        securityMode: 'sign-encrypt',
        securityPolicy: 'Basic256Sha256',
        username: 'op',
        password: 'secret',
      },
      mappings,
    );
    expect(settings.points).toEqual([
      { point: 'socPct', nodeId: 'ns=2;s=Soc' },
      { point: 'powerW', nodeId: 'ns=2;s=P2', scale: 1000, invert: true },
    ]);
    expect(JSON.stringify(settings)).not.toContain('secret');
    const site = smallSite();
    site.devices.push({
      id: 'plc',
      name: 'PLC',
      url: 'opc.tcp://plc:4840',
      role: 'battery',
      memberId: null,
      pollIntervalMs: 1000,
      enabled: false,
      opcua: settings,
    });
    expect(parseSite(site).ok).toBe(true);
  });

  it('parses scales, guesses points and groups thumbprints', () => {
    expect(parseScale('')).toBe(1);
    expect(parseScale('0.001')).toBe(0.001);
    expect(parseScale('0')).toBeNull();
    expect(parseScale('abc')).toBeNull();
    expect(guessPoint('StateOfChargePct')).toBe('socPct');
    expect(guessPoint('ActivePowerW')).toBe('powerW');
    expect(guessPoint('CapacityWh')).toBe('capacityWh');
    expect(groupedThumbprint('0a1bff')).toBe('0A:1B:FF');
  });

  it('lists exactly the canonical points of core', () => {
    expect(POINT_UNITS).toEqual(CORE_POINT_UNITS);
  });
});
