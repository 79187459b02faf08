import type { CheckReport, CheckResult } from '../domain/checks.ts';

const MARKS: Record<CheckResult['status'], string> = { pass: '✓', warn: '!', fail: '✗' };

/** One line per check: `✓ Title: detail`, and ` → fix` on anything that needs one. */
export function formatReport(report: CheckReport): string {
  const lines = report.checks.map((check) => `${MARKS[check.status]} ${check.title}: ${check.detail}${check.fix ? ` → ${check.fix}` : ''}`);
  const failed = report.checks.filter((check) => check.status === 'fail').length;
  const warned = report.checks.filter((check) => check.status === 'warn').length;
  lines.push(failed > 0 ? `${failed} check(s) failed${warned ? `, ${warned} warning(s)` : ''}.` : `All checks passed${warned ? ` (${warned} warning(s))` : ''}.`);
  return `${lines.join('\n')}\n`;
}
