// Writes lib/workloads/secure-bases.generated.ts, the one source of the members the four Secure*
// workloads share. Each Secure* class extends its own cdk8s-plus workload (a SecureDeployment is a
// kplus.Deployment), and jsii takes no mixins and no declaration merging, so each gets a base class
// of its own between it and its cdk8s-plus class, all four written here from one template. The bases
// are @internal: jsii erases them and lists their members on the Secure* classes (API.md shows them
// there). The file is build output, like build/: written by every compile (`npm run compile`), lint and
// jest run (its config), ignored by git, never edited by hand, so there is no copy to go stale.
'use strict';
const fs = require('fs');
const path = require('path');

const OUT = path.join(__dirname, '..', 'lib', 'workloads', 'secure-bases.generated.ts');

/**
 * Each Secure* class: the cdk8s-plus workload it extends, the file that declares it and its props, whether its pods
 * run to completion, and the props of its kind (beyond the pod's, which the secure props decide) it hands to cdk8s-plus.
 */
const KINDS = [
  { kind: 'Deployment', file: 'secure-deployment', runsToCompletion: false, props: ['replicas', 'strategy', 'minReady', 'progressDeadline'] },
  {
    kind: 'StatefulSet', file: 'secure-stateful-set', runsToCompletion: false, props: ['replicas', 'podManagementPolicy', 'strategy', 'minReady'],
    // cdk8s-plus derives the headless Service from the containers passed to its constructor; secure ones come after it.
    computed: { service: 'props.service ?? headlessService(scope, id, props)' }, imports: "import { headlessService } from './headless-service';",
  },
  { kind: 'Job', file: 'secure-job', runsToCompletion: true, props: ['activeDeadline', 'backoffLimit', 'ttlAfterFinished'] },
  {
    kind: 'CronJob', file: 'secure-cron-job', runsToCompletion: true,
    props: ['schedule', 'timeZone', 'concurrencyPolicy', 'startingDeadline', 'suspend', 'successfulJobsRetained', 'failedJobsRetained',
      'activeDeadline', 'backoffLimit', 'ttlAfterFinished'],
  },
];

/** The object literal of a kind's cdk8s-plus props, a line each. */
function kindProps({ props, computed = {} }) {
  const lines = [...Object.entries(computed).map(([k, v]) => `${k}: ${v}`), ...props.map(k => `${k}: props.${k}`)];
  return `{\n${lines.map(l => `      ${l},\n`).join('')}    }`;
}

function base(k) {
  const { kind, runsToCompletion } = k;
  return `
/**
 * The members every Secure* workload shares, on a cdk8s-plus \`${kind}\`. Internal: jsii erases it and
 * lists its members on \`Secure${kind}\`.
 * @internal
 */
export abstract class Secure${kind}Base extends kplus.${kind} {
  /** ${runsToCompletion ? 'Pods run to completion.' : 'Pods run until replaced.'} */
  public readonly runsToCompletion = ${runsToCompletion};
  /** @internal The workload's hardening: its props checked, its mounts recorded, its pod rendered. */
  protected readonly _hardening: PodHardening;

  constructor(scope: Construct, id: string, props: Secure${kind}Props) {
    super(scope, id, Object.assign(PodHardening.kplusPodProps(scope, id, props, '${kind}'), ${kindProps(k)}));
    this._hardening = new PodHardening(this, props, '${kind}',
      { container: p => super.addContainer(p), initContainer: p => super.addInitContainer(p) });
  }

  /**
   * Adds a container with secure defaults, required resources and explicit exemptions.
   */
  public addSecureContainer(props: SecureContainerProps): kplus.Container {
    return this._hardening.addContainer(props, false);
  }

  /**
   * Adds an init container (or, with \`restartPolicy: ALWAYS\`, a native sidecar) with secure defaults.
   */
  public addSecureInitContainer(props: SecureContainerProps): kplus.Container {
    return this._hardening.addContainer(props, true);
  }

  /**
   * Adds a plain cdk8s-plus container. Its resources must be complete (cpu, memory,
   * ephemeral storage); the secure defaults are applied to it at synth.
   */
  public addContainer(cont: kplus.ContainerProps): kplus.Container {
    this._hardening.checkPlainContainer('addContainer', cont);
    return super.addContainer(cont);
  }

  /**
   * Adds a plain cdk8s-plus init container, on the same terms as \`addContainer\`.
   */
  public addInitContainer(cont: kplus.ContainerProps): kplus.Container {
    this._hardening.checkPlainContainer('addInitContainer', cont);
    return super.addInitContainer(cont);
  }

  /**
   * Adds a writable emptyDir (with a size limit) mounted into every container.
   */
  public addWritablePath(path: WritablePath): void {
    this._hardening.addWritablePath(path);
  }

  /**
   * Adds a secret delivered as read-only files into every container (or those the mount names).
   */
  public addSecretMount(mount: SecretMount): void {
    this._hardening.addSecretMount(mount);
  }

  /**
   * @internal
   */
  public _toPodSpec(): kplus.k8s.PodSpec {
    // A constructor that threw (and was caught) leaves the construct in the tree unhardened.
    if (!this._hardening) throw new Error(\`\${this.node.path} failed during construction and cannot be synthesised; remove it\`);
    return this._hardening.render(super._toPodSpec());
  }
}
`;
}

/** The file's text. */
function source() {
  const local = [
    "import { PodHardening } from './pod-hardening';",
    "import { SecureContainerProps, WritablePath } from './props';",
    ...KINDS.map(k => `import type { Secure${k.kind}Props } from './${k.file}';`),
    ...KINDS.filter(k => k.imports).map(k => k.imports),
  ];
  const from = line => line.slice(line.lastIndexOf(' from ') + 7);
  return `// Written by scripts/secure-surface.js on every compile: edit the template there. Not committed.
import { Construct } from 'constructs';
import * as kplus from '../kplus';
import { SecretMount } from '../secrets/secret-mount';
${local.sort((a, b) => from(a) < from(b) ? -1 : 1).join('\n')}
${KINDS.map(base).join('')}`;
}

/** Writes the file when its text differs (an unchanged file keeps its time, so incremental builds stay incremental). */
function write() {
  const text = source();
  const old = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : undefined;
  if (old !== text) fs.writeFileSync(OUT, text);
  return OUT;
}

module.exports = { OUT, KINDS, source, write };

if (require.main === module) write();
