// No sensitive host paths (NIST SP 800-190 4.5.5).
// Reads: spec.volumes[*].hostPath.path.
// Allowed: any path other than /, the container runtime sockets and state, kubelet state,
// and the host's /etc, /proc, /sys, /dev, /boot and /root (and anything below them).
import { Check, Violation } from '../check';
import { PodView } from '../pod-view';
import { named, shown } from './shown';

const EXACT = new Set(['/', '/run', '/var/run', '/var', '/var/lib']);
const TREES = [
  '/etc', '/proc', '/sys', '/dev', '/boot', '/root',
  '/var/lib/kubelet', '/var/lib/docker', '/var/lib/containerd', '/var/lib/containers', '/var/lib/etcd',
  '/run/containerd', '/var/run/containerd', '/run/crio', '/var/run/crio',
  '/run/docker.sock', '/var/run/docker.sock', '/run/cri-dockerd.sock', '/var/run/cri-dockerd.sock',
  '/run/podman', '/var/run/podman',
];

function normaliseHostPath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return '/' + parts.join('/');
}

export function isSensitiveHostPath(path: string): boolean {
  const p = normaliseHostPath(path);
  return EXACT.has(p) || TREES.some(t => p === t || p.startsWith(t + '/'));
}

export class SensitiveHostPathCheck extends Check {
  public readonly info = {
    id: 'sensitive-host-path',
    title: 'No sensitive host paths',
    description: 'Mounting the host root, its configuration, /proc, /sys, the container runtime socket or kubelet state '
      + 'gives the container control of the node.',
    remediation: 'Remove the hostPath volume; a node agent that truly needs it belongs on a dedicated pool with a written exemption.',
    mapping: { nist800190: ['4.5.5'], cis: ['5.2.12'], step: 4 },
  };
  public readonly appliesTo = 'pods' as const;

  public evaluatePod(pod: PodView, _manifest: any, _ctx: unknown, out: Violation[]): void {
    const volumes = pod.spec.volumes;
    if (!Array.isArray(volumes)) return;
    for (let i = 0; i < volumes.length; i++) {
      const v = volumes[i];
      const path = v?.hostPath?.path;
      if (typeof path === 'string' && isSensitiveHostPath(path)) {
        out.push({ path: `${pod.specPath}.volumes[${i}].hostPath.path`,
          message: `volume ${shown(v.name)} mounts sensitive host path ${named(path)}` });
      }
    }
  }
}
