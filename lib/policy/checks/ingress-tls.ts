// Ingress serves every host over TLS (NIST SP 800-190 4.3.3).
// Reads: networking.k8s.io Ingress spec.rules[*].host, spec.defaultBackend and
// spec.tls[*].hosts. Allowed: every rule's host covered by a tls entry (exactly, or by a
// "*.domain" wildcard one label deep); a tls entry without hosts covers every host (the
// controller's default certificate); without rules, any tls entry covers the default backend.
// An Ingress whose cloud load balancer terminates TLS with a certificate named in an annotation
// (AWS ALB, GKE, Azure Application Gateway; the keys below) passes without spec.tls.
import { Check, Violation } from '../check';
import { inGroup } from '../pod-view';
import { shown } from './shown';

const CLOUD_CERTIFICATE_ANNOTATIONS = [
  'alb.ingress.kubernetes.io/certificate-arn',
  'networking.gke.io/managed-certificates',
  'ingress.gcp.kubernetes.io/pre-shared-cert',
  'appgw.ingress.kubernetes.io/appgw-ssl-certificate',
];

function covers(tlsHost: unknown, host: string): boolean {
  if (typeof tlsHost !== 'string') return false;
  if (tlsHost === host) return true;
  return tlsHost.startsWith('*.') && host.slice(host.indexOf('.') + 1) === tlsHost.slice(2) && host.indexOf('.') > 0;
}

export class IngressTlsCheck extends Check {
  public readonly info = {
    id: 'ingress-tls',
    title: 'Ingress serves over TLS',
    description: 'An Ingress host without TLS carries its requests, session cookies and credentials in clear text between the client and '
        + 'the cluster.',
    remediation: 'Add a spec.tls entry (a certificate Secret, e.g. from cert-manager) listing every host of the Ingress.',
    mapping: { nist800190: ['4.3.3'], step: 4 },
  };
  public readonly appliesTo = ['Ingress'];

  public evaluateObject(manifest: any, _ctx: unknown, out: Violation[]): void {
    const spec = manifest.spec;
    if (!inGroup(manifest.apiVersion, 'networking.k8s.io') || !spec || typeof spec !== 'object') return;
    const tls = Array.isArray(spec.tls) ? spec.tls.filter((t: any) => t && typeof t === 'object') : [];
    const name = `Ingress ${shown(manifest.metadata?.name)}`;
    const annotations = manifest.metadata?.annotations;
    const cloudCertificate = !!annotations && typeof annotations === 'object'
      && CLOUD_CERTIFICATE_ANNOTATIONS.some(key => typeof annotations[key] === 'string' && annotations[key].trim() !== '');
    if (tls.length === 0 && cloudCertificate) return;
    if (tls.length === 0) {
      out.push({ path: 'spec.tls', message: `${name} has no TLS; add a spec.tls entry with a certificate for its hosts` });
      return;
    }
    if (tls.some((t: any) => !Array.isArray(t.hosts) || t.hosts.length === 0)) return;
    const rules = Array.isArray(spec.rules) ? spec.rules : [];
    rules.forEach((rule: any, i: number) => {
      const host = rule?.host;
      if (typeof host !== 'string' || host === '') {
        out.push({ path: `spec.rules[${i}]`, message: `${name} rule ${i} serves every host name, but its tls entries list only some; add a `
            + `tls entry without hosts or give the rule a host` });
      } else if (!tls.some((t: any) => t.hosts.some((h: unknown) => covers(h, host)))) {
        out.push({ path: `spec.rules[${i}].host`, message: `${name} serves host ${shown(host)} without TLS; add it to a spec.tls entry` });
      }
    });
  }
}
