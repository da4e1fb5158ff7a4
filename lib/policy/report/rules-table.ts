import { PolicyEngine } from '../engine';
import { Packs } from '../packs';

const STEPS: { [step: number]: string } = {
  1: 'use the security resources that exist',
  2: 'rebuild images regularly',
  3: 'secure the image supply chain',
  4: 'protect the hosts',
  5: 'distribute secrets through the orchestrator',
  6: 'set resource limits',
  7: 'keep persistent logs',
};

/** RULES.md: every rule, its severity in each pack and its framework mapping. Generated, never edited. */
export function renderRulesMarkdown(): string {
  const packs = Packs.all();
  const rules = PolicyEngine.rules();
  const out = [
    '# Rules',
    '',
    '<!-- Generated from the checks\' metadata by `npm run rules` (cdk8s-secure rules). Do not edit: the test suite fails when this file is stale. -->',
    '',
    `${rules.length} rules. Severity per pack (\`-\` = not in the pack; \`invalid-manifest\` is the engine's own rule and always an error).`,
    'NIST = NIST SP 800-190 section, CIS = CIS Kubernetes Benchmark v1.8.0 recommendation, PSS = Pod Security Standards level / control.',
    '',
    `| Rule | Title | ${packs.map(p => p.name).join(' | ')} | NIST | CIS | PSS | Step |`,
    `| --- | --- | ${packs.map(() => '---').join(' | ')} | --- | --- | --- | --- |`,
  ];
  for (const r of rules) {
    const m = r.mapping;
    const severities = packs.map(p => (r.id === 'invalid-manifest' ? 'error' : p.rules[r.id] ?? '-'));
    out.push(`| \`${r.id}\` | ${r.title} | ${severities.join(' | ')} | ${m.nist800190.join(', ') || '-'} | ${(m.cis ?? []).join(', ') || '-'} | ${m.pss ? `${m.pss.level} / ${m.pss.control}` : '-'} | ${m.step} |`);
  }
  out.push('', '## Steps', '');
  for (const [n, text] of Object.entries(STEPS)) out.push(`${n}. ${text}`);
  out.push('', '## Packs', '');
  for (const p of packs) out.push(`- **${p.name}**: ${p.description}`);
  out.push('', '## Rule details', '');
  for (const r of rules) {
    out.push(`### \`${r.id}\``, '', `**${r.title}.** ${r.description}`, '', `Fix: ${r.remediation}`, '');
  }
  return out.join('\n');
}
