// No minting credentials for other identities (NIST SP 800-190 4.3.1, CIS 5.1.11, 5.1.13).
// Reads: Role and ClusterRole rules[*].{apiGroups,resources,verbs} (aggregated ClusterRoles
// through the roles they select, and bindings of the built-in ClusterRoles; see rbac.ts).
// Allowed: no create on core serviceaccounts/token (a token for any ServiceAccount the rule
// covers), and no update or patch on certificates.k8s.io certificatesigningrequests/approval
// together with approve on signers (a client certificate for any user or group, system:masters
// included); a rule naming the approve verb explicitly fails whatever it covers.
import { describeGrants, Grant, GrantedRule, RoleRuleCheck } from '../rbac';

const CERTIFICATES = 'certificates.k8s.io';

export class RbacCredentialMintingCheck extends RoleRuleCheck {
  public readonly info = {
    id: 'rbac-credential-minting',
    title: 'No minting tokens or certificates',
    description: 'Creating ServiceAccount tokens lets a subject act as those ServiceAccounts; approving certificate signing requests '
        + 'lets it issue client certificates for any user or group, system:masters included. Both reach past every role it holds.',
    remediation: 'Remove serviceaccounts/token create and certificatesigningrequests/approval; let the kubelet project tokens '
        + '(kubernetesApiAccess) and a dedicated controller approve certificates.',
    mapping: { nist800190: ['4.3.1'], cis: ['5.1.11', '5.1.13'], step: 1 },
  };

  protected readonly fix = 'remove it';

  protected grantsOf(rule: GrantedRule): Grant[] {
    const granted: Array<[string, string[]]> = [];
    const tokens = rule.grants('', 'serviceaccounts/token', ['create']);
    if (tokens.length) granted.push(['serviceaccounts/token', tokens]);
    const approval = rule.grants(CERTIFICATES, 'certificatesigningrequests/approval', ['update', 'patch']);
    if (approval.length) granted.push(['certificatesigningrequests/approval', approval]);
    const approve = rule.verbs.includes('approve') ? ['approve'] : rule.grants(CERTIFICATES, 'signers', ['approve']);
    if (approve.length) granted.push(['signers', approve]);
    return granted.length ? [{ path: rule.path('verbs'), grants: describeGrants(granted) }] : [];
  }
}
