import { checkById } from '../checks';
import { PolicyEngine } from '../engine';
import { Packs } from '../packs';
import { CUSTOM_POD_KINDS } from '../pod-view';
import { PssCheck } from '../pss-check';
import { DEFAULT_PSS_VERSION, NEWEST_PSS_MINOR } from '../pss-version';

const STEPS: { [step: number]: string } = {
  1: 'use the security resources that exist',
  2: 'rebuild images regularly',
  3: 'secure the image supply chain',
  4: 'protect the hosts',
  5: 'distribute secrets through the orchestrator',
  6: 'set resource limits',
  7: 'keep persistent logs',
};

function behavioursOf(id: string) {
  const check = checkById(id);
  return check instanceof PssCheck ? check.behaviours : [];
}

/** RULES.md: every rule, its severity in each pack and its framework mapping. Generated, never edited. */
export function renderRulesMarkdown(): string {
  const packs = Packs.all();
  const rules = PolicyEngine.rules();
  const out = [
    '# Rules',
    '',
    '<!-- Generated from the checks\' metadata by `npm run rules` (cdk8s-secure rules). Do not edit: '
      + 'the test suite fails when this file is stale. -->',
    '',
    `${rules.length} rules. Severity per pack (\`-\` = not in the pack; \`invalid-manifest\` is the engine's own rule and always an error).`,
    'NIST = NIST SP 800-190 section, CIS = CIS Kubernetes Benchmark v1.8.0 recommendation, PSS = Pod Security Standards level / control.',
    `PSS versions = the Pod Security Admission policy versions where the rule's behaviour changes (v1.0 to v1.${NEWEST_PSS_MINOR};`,
    `\`latest\` is v1.${NEWEST_PSS_MINOR}); the rules are checked at \`pssVersion\` / \`--pss-version\`, ${DEFAULT_PSS_VERSION} unless given.`,
    '',
    `| Rule | Title | ${packs.map(p => p.name).join(' | ')} | NIST | CIS | PSS | PSS versions | Step |`,
    `| --- | --- | ${packs.map(() => '---').join(' | ')} | --- | --- | --- | --- | --- |`,
  ];
  for (const r of rules) {
    const m = r.mapping;
    const severities = packs.map(p => (r.id === 'invalid-manifest' ? 'error' : p.rules[r.id] ?? '-'));
    const versions = behavioursOf(r.id).map(b => `v1.${b.since}`).join(', ') || '-';
    const cells = [
      `\`${r.id}\``, r.title, ...severities, m.nist800190.join(', ') || '-', (m.cis ?? []).join(', ') || '-',
      m.pss ? `${m.pss.level} / ${m.pss.control}` : '-', versions, String(m.step),
    ];
    out.push(`| ${cells.join(' | ')} |`);
  }
  out.push('', '## Steps', '');
  for (const [n, text] of Object.entries(STEPS)) out.push(`${n}. ${text}`);
  out.push('', '## Pod templates in custom resources', '',
    'The pod rules read these custom resource kinds\' pods like those of the built-in kinds; a custom resource of any other kind that '
    + 'embeds containers is reported by `pod-template-not-checked`. A kind that spells its pods out in fields of its own is read as its '
    + 'controller builds the pods, and findings name the resource\'s own fields: an Argo workflow runs a pod per template that runs '
    + 'containers (`resource`, `data`, `http` and `plugin` templates run only Argo\'s executor or agent, `steps`, `dag` and `suspend` '
    + 'templates no pod), with its `templateDefaults` merged in. What no rule can read there (an Argo `podSpecPatch`, applied at run '
    + 'time) is reported by `pod-template-not-checked`.', '',
    '| Project | API group | Kind | Pod spec at |', '| --- | --- | --- | --- |');
  for (const c of CUSTOM_POD_KINDS) out.push(`| ${c.project} | \`${c.group}\` | ${c.kind} | ${c.pods ? c.specPath : `\`${c.specPath}\``} |`);
  out.push('', '## Packs', '');
  for (const p of packs) out.push(`- **${p.name}**: ${p.description}`);
  out.push('', '## Rule details', '');
  for (const r of rules) {
    out.push(`### \`${r.id}\``, '', `**${r.title}.** ${r.description}`, '', `Fix: ${r.remediation}`, '');
    const behaviours = behavioursOf(r.id);
    if (behaviours.length === 0) continue;
    out.push('| From PSS version | Allows | Replaces at restricted |', '| --- | --- | --- |');
    for (const b of behaviours) out.push(`| v1.${b.since} | ${b.allows} | ${(b.overrides ?? []).map(id => `\`${id}\``).join(', ') || '-'} |`);
    if (behaviours[0].since > 0) out.push('', `Not applicable before v1.${behaviours[0].since}.`);
    out.push('');
  }
  return out.join('\n');
}
