// Reads Electronegativity's result and decides whether the build passes. Its CLI always
// exits 0, so the verdict is ours: any HIGH finding fails, and so does a MEDIUM one nobody
// has reviewed (sandbox, webSecurity and the permission handler are only MEDIUM to it);
// LOW and INFORMATIONAL findings are printed. A file it could not parse fails too: it was
// not checked.

export type Severity = 'HIGH' | 'MEDIUM' | 'LOW' | 'INFORMATIONAL';
const SEVERITIES: readonly Severity[] = ['HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'];

/** One finding as Electronegativity's programmatic `run()` returns it (the fields used). */
export interface RawIssue {
  id: string;
  file: string;
  location?: { line?: number; column?: number };
  severity: { name: string };
  confidence: { name: string };
  description?: string;
  sample?: string;
  manualReview?: boolean;
}

export interface RawResult {
  issues: RawIssue[];
  errors: { file: string; message: string; tolerable: boolean }[];
}

export interface Finding {
  check: string;
  severity: Severity;
  confidence: string;
  /** Path relative to the repository, or "N/A" for findings about the app as a whole. */
  file: string;
  line: number;
  description: string;
}

/** A finding a person has looked at, with the reason it may stay. Never a HIGH one. */
export interface Reviewed {
  check: string;
  file: string;
  why: string;
}

export interface Verdict {
  ok: boolean;
  failures: string[];
  reviewed: { finding: Finding; why: string }[];
  notes: Finding[];
}

export class ReportFormatError extends Error {
  override name = 'ReportFormatError';
}

/** Checks the result's shape (a changed Electronegativity must not pass silently) and maps
 *  each issue to a Finding with its file relative to the scanned root. */
export function readResult(result: unknown, toRepoPath: (file: string) => string): Finding[] {
  const raw = result as Partial<RawResult> | null;
  if (!raw || !Array.isArray(raw.issues) || !Array.isArray(raw.errors))
    throw new ReportFormatError('Electronegativity returned no { issues, errors }');
  const unparsed = raw.errors.filter((e) => !e.tolerable);
  if (unparsed.length > 0)
    throw new ReportFormatError(
      `Electronegativity could not parse ${unparsed.map((e) => `${toRepoPath(e.file)} (${e.message})`).join(', ')}`,
    );
  return raw.issues.map((issue, index) => {
    const severity = issue?.severity?.name as Severity;
    if (typeof issue?.id !== 'string' || !SEVERITIES.includes(severity))
      throw new ReportFormatError(`issue ${index}: no check id or unknown severity`);
    return {
      check: issue.id,
      severity,
      confidence: issue.confidence?.name ?? 'UNKNOWN',
      file: issue.file === 'N/A' ? 'N/A' : toRepoPath(issue.file),
      line: issue.location?.line ?? 0,
      description: issue.description ?? '',
    };
  });
}

export function judge(findings: Finding[], reviewedList: readonly Reviewed[]): Verdict {
  const failures: string[] = [];
  const reviewed: Verdict['reviewed'] = [];
  const notes: Finding[] = [];
  for (const finding of findings) {
    const review = reviewedList.find((r) => r.check === finding.check && r.file === finding.file);
    if (finding.severity === 'HIGH') failures.push(describe(finding));
    else if (review) reviewed.push({ finding, why: review.why });
    else if (finding.severity === 'MEDIUM') failures.push(`${describe(finding)} (not reviewed)`);
    else notes.push(finding);
  }
  return { ok: failures.length === 0, failures, reviewed, notes };
}

export function describe(finding: Finding): string {
  const where = finding.file === 'N/A' ? 'app' : `${finding.file}:${finding.line}`;
  return `${finding.severity} ${finding.check} at ${where}: ${finding.description}`;
}

export function countBySeverity(findings: Finding[]): Record<Severity, number> {
  const counts = { HIGH: 0, MEDIUM: 0, LOW: 0, INFORMATIONAL: 0 };
  for (const finding of findings) counts[finding.severity] += 1;
  return counts;
}
