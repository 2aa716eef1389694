// Repeating groups: how many instances follow comes from L (model 160) or from a count
// point (models 705–712), and a wrong L or count must be refused, not misread.
import { describe, expect, it } from 'vitest';
import { decodeModel } from '../../../drivers/sunspec/decode';
import { encodeModel } from '../../../drivers/sunspec/encode';
import { getModelDef } from '../../../drivers/sunspec/model-table';

const m160 = getModelDef(160)!;
const m705 = getModelDef(705)!;

// Model 160: fixed block of 8 (DCA_SF, DCV_SF, DCW_SF, DCWH_SF, Evt x2, N, TmsPer), then
// 20-register modules: ID, IDStr (8), DCA, DCV, DCW, DCWH (2), Tms (2), Tmp, DCSt, DCEvt (2).
function mppt(modules: number[][]): Uint16Array {
  const body = new Uint16Array(8 + 20 * modules.length);
  body.set([0xfffe, 0xffff, 0, 0, 0, 0, modules.length, 0xffff]); // DCA_SF -2, DCV_SF -1, DCW_SF 0, DCWH_SF 0
  modules.forEach((m, i) => body.set(m, 8 + 20 * i));
  return body;
}

describe('model 160 (MPPT): repeats from L', () => {
  const module = (id: number, dcaRaw: number, dcvRaw: number, dcw: number) => [
    id,
    0x5056, // "PV"
    (0x30 + id) << 8, // the id as a digit, then NUL: "PV1", "PV2"
    0,
    0,
    0,
    0,
    0,
    0,
    dcaRaw,
    dcvRaw,
    dcw,
    0,
    1000, // DCWH = 1000 Wh
    0xffff,
    0xffff, // Tms not implemented
    0x8000, // Tmp not implemented
    4, // DCSt
    0,
    0, // DCEvt
  ];

  it('decodes each module with the fixed block scale factors', () => {
    const body = mppt([module(1, 825, 4123, 3400), module(2, 750, 3999, 2990)]);
    const result = decodeModel(m160, body, 48);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.points.N).toBe(2);
    const modules = result.value.groups.module!;
    expect(modules).toHaveLength(2);
    expect(modules[0]!.points).toMatchObject({
      ID: 1,
      IDStr: 'PV1',
      DCA: 8.25,
      DCV: 412.3,
      DCW: 3400,
      DCWH: 1000,
      Tms: null,
      Tmp: null,
    });
    expect(modules[1]!.points).toMatchObject({
      ID: 2,
      IDStr: 'PV2',
      DCA: 7.5,
      DCV: 399.9,
      DCW: 2990,
    });
  });

  it('decodes a model with zero modules', () => {
    const result = decodeModel(m160, mppt([]), 8);
    expect(result.ok && result.value.groups.module).toEqual([]);
  });

  it('takes the number of modules from L, not from the words handed in', () => {
    const body = mppt([module(1, 1, 1, 1), module(2, 2, 2, 2)]);
    const result = decodeModel(m160, body, 28);
    expect(result.ok && result.value.groups.module!.length).toBe(1);
  });

  it.each([
    [27, 'leaves 19 registers'],
    [7, 'leaves -1 registers'],
  ])('refuses L = %i, which does not hold whole modules', (length, detail) => {
    const result = decodeModel(m160, new Uint16Array(60), length);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('length_mismatch');
    expect(result.error.message).toContain(detail);
    expect(result.error.modelId).toBe(160);
  });
});

describe('model 705 (volt-var): nested groups counted by NCrv and NPt', () => {
  const curves = [
    {
      points: { ActPt: 2, Pri: 1 },
      groups: { Pt: [{ points: { V: 95, Var: -30 } }, { points: { V: 105, Var: 30 } }] },
    },
    { points: { ActPt: 1 }, groups: { Pt: [{ points: { V: 100, Var: 0 } }, {}] } },
  ];
  const body = encodeModel(m705, {
    points: { V_SF: 0, DeptRef_SF: 0, NCrv: 2, NPt: 2 },
    groups: { Crv: curves },
  });

  it('lays out curves of 10 + NPt × 2 registers after the 13-register fixed block', () => {
    expect(body).toHaveLength(13 + 2 * (10 + 2 * 2));
    // Curve 1, point 0: V at 13 + 14 + 10 = 37.
    expect(body[37]).toBe(100);
  });

  it('decodes what it encoded, instance by instance', () => {
    const result = decodeModel(m705, body);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const crv = result.value.groups.Crv!;
    expect(crv.map((c) => c.points.ActPt)).toEqual([2, 1]);
    expect(crv[0]!.groups.Pt!.map((p) => [p.points.V, p.points.Var])).toEqual([
      [95, -30],
      [105, 30],
    ]);
    expect(crv[1]!.groups.Pt![1]!.points).toMatchObject({ V: null, Var: null });
  });

  it('refuses counts that need more registers than L', () => {
    const tooMany = Uint16Array.from(body);
    tooMany[4] = 9; // NCrv
    const result = decodeModel(m705, tooMany);
    expect(result).toMatchObject({ ok: false, error: { code: 'bad_count' } });
    if (!result.ok) expect(result.error.message).toContain(`L is ${body.length}`);
  });

  it('refuses a count point that is not implemented', () => {
    const unknown = Uint16Array.from(body);
    unknown[3] = 0xffff; // NPt
    expect(decodeModel(m705, unknown)).toMatchObject({ ok: false, error: { code: 'bad_count' } });
  });
});

describe('model 707 (trip curves): a counted group nested in fixed sub-groups', () => {
  const m707 = getModelDef(707)!;

  it('encodes and decodes NCrvSet curves with MustTrip/MayTrip/MomCess points', () => {
    const trip = (v: number) => ({
      points: { ActPt: 1 },
      groups: { Pt: [{ points: { V: v, Tms: 2 } }] },
    });
    const body = encodeModel(m707, {
      points: { NCrvSet: 1, NPt: 1, V_SF: 0, Tms_SF: 0 },
      groups: {
        Crv: [
          {
            points: { ReadOnly: 1 },
            groups: { MustTrip: [trip(50)], MayTrip: [trip(60)], MomCess: [trip(70)] },
          },
        ],
      },
    });
    expect(body).toHaveLength(7 + 1 + 3 * (1 + 3));
    const result = decodeModel(m707, body);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [crv] = result.value.groups.Crv!;
    expect(crv!.groups.MayTrip![0]!.groups.Pt![0]!.points).toMatchObject({ V: 60, Tms: 2 });
  });
});
