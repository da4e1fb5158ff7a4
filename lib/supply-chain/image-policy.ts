import { Construct, IConstruct } from 'constructs';
import { setSharedValue, sharedValue } from '../vocab/brand';
import { ImageLock } from '../vocab/image-lock';
import { parseImageReference } from '../vocab/image-reference';
import { checkMaxImageAge, checkTrustedRegistries } from '../vocab/image-settings';
import { checkKnownProps, constructWhere } from '../workloads/known-props';

/**
 * Props of an ImagePolicy.
 */
export interface ImagePolicyProps {
  /** Registries (optionally with a path prefix, e.g. "ghcr.io/acme") images may come from. */
  readonly trustedRegistries: string[];
  /**
   * Every image must be pinned by digest, through the lock or in its reference. A container
   * may still run a tag with `exemptions.tagOnlyImage` and a reason (it is then pulled Always).
   * @default true
   */
  readonly requireDigest?: boolean;
  /**
   * The image lock file (JSON): tag to digest and build time. Tags are resolved through it at synth.
   * @default - no lock: references must carry their digest
   */
  readonly lockFile?: string;
  /**
   * Images built longer ago than this fail synth (their build time comes from the lock).
   * @default - no maximum age
   */
  readonly maxAgeDays?: number;
  /**
   * The time ages are measured at, ISO 8601 (for reproducible synths in tests).
   * @default - now
   */
  readonly now?: string;
}

/** What an image reference becomes under the policy. */
export interface ResolvedImage {
  /** The reference to write: pinned by digest where the lock knows the tag. */
  readonly image: string;
  /** Whether it is pinned by digest. */
  readonly pinned: boolean;
}

// The policy of a scope is kept on the scope, so that every installed copy of the library finds it.
const COVERING = 'ImagePolicy.covering';

/**
 * The images an App or Chart may run: trusted registries only, pinned by digest (tags resolved
 * through an image lock at synth), and no older than a maximum age. Secure* workloads under
 * its scope are rendered with the locked digests (pulled IfNotPresent; tag-only images are
 * pulled Always), and their manifests guarantee the trusted-registry, image-digest (with
 * `requireDigest`) and image-max-age rules, so synth fails on an untrusted, unpinned or stale image.
 */
export class ImagePolicy extends Construct {
  /** The policy that covers `construct`: the nearest one on its scopes. */
  public static of(construct: IConstruct): ImagePolicy | undefined {
    // From the construct up, without the array of its scopes: this is asked for every object at synth.
    for (let scope: IConstruct | undefined = construct; scope; scope = scope.node.scope) {
      const policy = sharedValue(scope, COVERING) as ImagePolicy | undefined;
      if (policy) return policy;
    }
    return undefined;
  }

  /** The trusted registries. */
  public readonly trustedRegistries: string[];
  /** Whether digests are required. */
  public readonly requireDigest: boolean;
  /** The maximum age in days, if any. */
  public readonly maxAgeDays?: number;
  /** The lock, if a lock file was given. */
  public readonly lock?: ImageLock;
  /** The time ages are measured at. */
  public readonly now: Date;

  constructor(scope: Construct, id: string, props: ImagePolicyProps) {
    super(scope, id);
    checkKnownProps(constructWhere('ImagePolicy', scope, id), 'ImagePolicyProps', props);
    if (sharedValue(scope, COVERING)) throw new Error(`an ImagePolicy already covers "${scope.node.path || '(app)'}"; one per scope`);
    checkTrustedRegistries(props.trustedRegistries, "'trustedRegistries'", true);
    checkMaxImageAge(props.maxAgeDays, !!props.lockFile, { maxAge: "'maxAgeDays'", lock: "'lockFile'" });
    this.now = props.now ? new Date(props.now) : new Date();
    if (Number.isNaN(this.now.getTime())) throw new Error(`'now' (${JSON.stringify(props.now)}) must be an ISO 8601 date-time`);
    this.trustedRegistries = props.trustedRegistries;
    this.requireDigest = props.requireDigest ?? true;
    this.maxAgeDays = props.maxAgeDays;
    this.lock = props.lockFile ? ImageLock.fromFile(props.lockFile, this.now) : undefined;
    setSharedValue(scope, COVERING, this);
  }

  /** The reference to render for `image`: the locked digest added where the lock knows the tag. */
  public resolve(image: string): ResolvedImage {
    let parts;
    try {
      parts = parseImageReference(image);
    } catch {
      return { image, pinned: false };
    }
    if (parts.digest) return { image, pinned: true };
    const locked = this.lock?.lookup(image);
    return locked ? { image: `${image}@${locked.digest}`, pinned: true } : { image, pinned: false };
  }
}
