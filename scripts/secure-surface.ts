// The one source of the members the four Secure* workloads share: `npm run surface` writes them
// into each class, between the markers, and test/secure-surface.test.ts fails when one is stale.
// Each class extends its own cdk8s-plus workload (a SecureDeployment is a kplus.Deployment), and
// jsii takes no mixins and no declaration merging, so the members are written into each class.
import * as fs from 'fs';
import * as path from 'path';

export const SURFACE_FILES = ['secure-deployment.ts', 'secure-stateful-set.ts', 'secure-job.ts', 'secure-cron-job.ts']
  .map(f => path.join(__dirname, '..', 'lib', 'workloads', f));

const BEGIN = '  // <secure-surface>';
const END = '  // </secure-surface>';

const MEMBERS = `${BEGIN} written by scripts/secure-surface.ts (\`npm run surface\`): edit the members there, not here.
  private readonly hardening: PodHardening;

  /**
   * Adds a container with secure defaults, required resources and explicit exemptions.
   */
  public addSecureContainer(props: SecureContainerProps): kplus.Container {
    return this.hardening.addContainer(props, false);
  }

  /**
   * Adds an init container (or, with \`restartPolicy: ALWAYS\`, a native sidecar) with secure defaults.
   */
  public addSecureInitContainer(props: SecureContainerProps): kplus.Container {
    return this.hardening.addContainer(props, true);
  }

  /**
   * Adds a plain cdk8s-plus container. Its resources must be complete (cpu, memory,
   * ephemeral storage); the secure defaults are applied to it at synth.
   */
  public addContainer(cont: kplus.ContainerProps): kplus.Container {
    this.hardening.checkPlainContainer('addContainer', cont);
    return super.addContainer(cont);
  }

  /**
   * Adds a plain cdk8s-plus init container, on the same terms as \`addContainer\`.
   */
  public addInitContainer(cont: kplus.ContainerProps): kplus.Container {
    this.hardening.checkPlainContainer('addInitContainer', cont);
    return super.addInitContainer(cont);
  }

  /**
   * Adds a writable emptyDir (with a size limit) mounted into every container.
   */
  public addWritablePath(path: WritablePath): void {
    this.hardening.addWritablePath(path);
  }

  /**
   * Adds a secret delivered as read-only files into every container (or those the mount names).
   */
  public addSecretMount(mount: SecretMount): void {
    this.hardening.addSecretMount(mount);
  }

  /**
   * @internal
   */
  public _toPodSpec(): kplus.k8s.PodSpec {
    // A constructor that threw (and was caught) leaves the construct in the tree unhardened.
    if (!this.hardening) throw new Error(\`\${this.node.path} failed during construction and cannot be synthesised; remove it\`);
    return this.hardening.render(super._toPodSpec());
  }

  /** The workload's hardening, which reaches the cdk8s-plus container adders past the overrides above. */
  private hardened(props: SecureWorkloadProps): PodHardening {
    return new PodHardening(this, props, { container: p => super.addContainer(p), initContainer: p => super.addInitContainer(p) });
  }
${END}
`;

/** `source` with its shared members as MEMBERS has them. */
export function withSurface(file: string, source: string): string {
  const begin = source.indexOf(BEGIN);
  const end = source.indexOf(`${END}\n`);
  if (begin < 0 || end < begin) throw new Error(`${file} has no "${BEGIN.trim()}" ... "${END.trim()}" region for the shared members`);
  return source.slice(0, begin) + MEMBERS + source.slice(end + END.length + 1);
}

if (require.main === module) {
  for (const file of SURFACE_FILES) fs.writeFileSync(file, withSurface(file, fs.readFileSync(file, 'utf8')));
}
