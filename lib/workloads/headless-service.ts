import { Construct } from 'constructs';
import * as kplus from '../kplus';
import { listsProblem } from './prop-checks';
import type { SecureStatefulSetProps } from './secure-stateful-set';

/**
 * cdk8s-plus derives the headless Service from containers passed to its constructor;
 * secure containers are added after it, so the Service is made here from the props.
 */
export function headlessService(scope: Construct, id: string, props: SecureStatefulSetProps): kplus.Service {
  const notList = listsProblem(props, ['containers']);
  if (notList) throw new Error(notList);
  const ports: kplus.ServicePort[] = [];
  for (const c of [...props.containers ?? [], ...props.initContainers ?? []]) {
    if (c.portNumber !== undefined) ports.push({ port: c.portNumber, targetPort: c.portNumber });
    for (const p of c.ports ?? []) ports.push({ port: p.number, targetPort: p.number, protocol: p.protocol, name: p.name });
  }
  if (ports.length === 0) {
    // cdk8s-plus refuses a Service without ports, and would say so only at synth.
    throw new Error("'containers' declare no port, so the StatefulSet's headless Service has none; give the container a 'portNumber', "
      + "or pass your own 'service'");
  }
  return new kplus.Service(scope, `${id}Service`, {
    clusterIP: 'None',
    type: kplus.ServiceType.CLUSTER_IP,
    ports,
    metadata: { namespace: props.metadata?.namespace },
  });
}
