// Reading the headers of the check fixtures (test/fixtures/checks/<rule-id>/*.yaml).
import { DEFAULT_PSS_VERSION, parsePssVersion } from '../../lib/policy/pss-version';

/** The `# pss-version: v1.N` a fixture is evaluated at, or the default. */
export function fixturePssVersion(text: string): string {
  return /^# pss-version: (\S+)$/m.exec(text)?.[1] ?? DEFAULT_PSS_VERSION;
}

/** The policy minor version a fixture is evaluated at. */
export function fixturePssMinor(text: string): number {
  return parsePssVersion(fixturePssVersion(text)).minor;
}

/**
 * The verdict Pod Security Admission gives a fixture at `level`, per policy minor version, from its
 * `# psa <level>: <verdict>[, <verdict> from v1.N]...` line (e.g. "fail, pass from v1.29"),
 * or undefined when the fixture has none.
 */
export function expectedPsaVerdict(text: string, level: 'baseline' | 'restricted'): ((minor: number) => 'pass' | 'fail') | undefined {
  const line = new RegExp(`^# psa ${level}: (.+)$`, 'm').exec(text)?.[1];
  if (line === undefined) return undefined;
  const changes = line.split(', ').map((part, i) => {
    const m = /^(pass|fail)(?: from v1\.(\d+))?$/.exec(part);
    if (!m || (i === 0) !== (m[2] === undefined)) throw new Error(`bad "# psa ${level}:" line: ${line}`);
    return { verdict: m[1] as 'pass' | 'fail', since: m[2] === undefined ? 0 : Number(m[2]) };
  });
  return minor => [...changes].reverse().find(c => c.since <= minor)!.verdict;
}
