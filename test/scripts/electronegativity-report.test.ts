// The verdict on Electronegativity's result (its CLI exits 0 whatever it finds). The fixture
// is its real `run()` result for this insecure main.js (paths under /tmp/scan/):
//   new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false,
//     sandbox: false } }).loadURL('http://example.com/')
// The scan itself runs as a step of `npm test` (scripts/electronegativity.ts).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  countBySeverity,
  judge,
  readResult,
  ReportFormatError,
  type Finding,
} from '../../scripts/electronegativity-report';
import { REVIEWED } from '../../scripts/electronegativity';

const insecure: unknown = JSON.parse(
  readFileSync(new URL('./fixtures/electronegativity-insecure-main.json', import.meta.url), 'utf8'),
);
const toRepoPath = (file: string) => file.replace('/tmp/scan/', '');

const finding = (over: Partial<Finding>): Finding => ({
  check: 'SANDBOX_JS_CHECK',
  severity: 'MEDIUM',
  confidence: 'FIRM',
  file: 'electron/main.ts',
  line: 1,
  description: '',
  ...over,
});

describe('Electronegativity report', () => {
  it('reads its real result and fails on the HIGH findings', () => {
    const findings = readResult(insecure, toRepoPath);
    expect(countBySeverity(findings)).toEqual({ HIGH: 2, MEDIUM: 5, LOW: 0, INFORMATIONAL: 0 });
    expect(findings).toContainEqual(
      expect.objectContaining({
        check: 'CONTEXT_ISOLATION_JS_CHECK',
        severity: 'HIGH',
        file: 'electron/main.js',
        line: 4,
      }),
    );
    const verdict = judge(findings, []);
    expect(verdict.ok).toBe(false);
    expect(verdict.failures.filter((f) => f.startsWith('HIGH'))).toEqual([
      expect.stringContaining('LIMIT_NAVIGATION_GLOBAL_CHECK at app'),
      expect.stringContaining('CONTEXT_ISOLATION_JS_CHECK at electron/main.js:4'),
    ]);
  });

  it('never lets a review excuse a HIGH finding', () => {
    const high = finding({ check: 'CONTEXT_ISOLATION_JS_CHECK', severity: 'HIGH' });
    const verdict = judge([high], [{ check: high.check, file: high.file, why: 'trust me' }]);
    expect(verdict.ok).toBe(false);
  });

  it('fails on a MEDIUM finding nobody reviewed, passes a reviewed one, prints LOW ones', () => {
    expect(judge([finding({})], []).ok).toBe(false);
    const reviewed = judge(
      [finding({})],
      [{ check: 'SANDBOX_JS_CHECK', file: 'electron/main.ts', why: 'x' }],
    );
    expect(reviewed).toMatchObject({ ok: true, reviewed: [{ why: 'x' }] });
    const low = finding({ check: 'CSP_GLOBAL_CHECK', severity: 'LOW' });
    expect(judge([low], [])).toMatchObject({ ok: true, notes: [low] });
  });

  it('fails when a file could not be parsed (it was not checked) or the result changed shape', () => {
    const unparsed = {
      issues: [],
      errors: [{ file: '/tmp/scan/out/a.js', message: 'Unknown node type', tolerable: false }],
    };
    expect(() => readResult(unparsed, toRepoPath)).toThrow(/could not parse out\/a\.js/);
    expect(() => readResult({ issues: [] }, toRepoPath)).toThrow(ReportFormatError);
    expect(() =>
      readResult({ issues: [{ id: 'X', severity: { name: 'CRITICAL' } }], errors: [] }, toRepoPath),
    ).toThrow(/unknown severity/);
    // A tolerable parser warning does not hide the file's findings.
    const tolerable = { issues: [], errors: [{ file: 'a', message: 'w', tolerable: true }] };
    expect(readResult(tolerable, toRepoPath)).toEqual([]);
  });

  it('keeps only non-HIGH findings with a reason in the reviewed list', () => {
    for (const entry of REVIEWED) expect(entry.why.length).toBeGreaterThan(20);
    const checks = REVIEWED.map((r) => r.check);
    expect(checks).not.toContain('CONTEXT_ISOLATION_JS_CHECK');
    expect(checks).not.toContain('NODE_INTEGRATION_JS_CHECK');
    expect(checks).not.toContain('LIMIT_NAVIGATION_GLOBAL_CHECK');
  });
});
