import { createHash } from 'crypto';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { checkKnownProps, constructWhere } from '../workloads/known-props';
import { AdmissionAction } from './image-admission-policy';
import { ImagePolicy } from './image-policy';

/** The public Sigstore transparency log. */
export const SIGSTORE_REKOR_URL = 'https://rekor.sigstore.dev';

/**
 * Options of a keyless (Fulcio certificate) signature check.
 */
export interface KeylessSignerOptions {
  /**
   * The OIDC issuer that vouched for the signer, e.g.
   * "https://token.actions.githubusercontent.com" for GitHub Actions.
   */
  readonly issuer: string;
  /**
   * The signer's identity in the certificate, e.g.
   * "https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main". Kyverno
   * accepts "*" wildcards; a subject that is only wildcards is refused (it would trust every
   * identity the issuer vouches for).
   */
  readonly subject: string;
  /**
   * The transparency log the signature must be recorded in.
   * @default SIGSTORE_REKOR_URL
   */
  readonly rekorUrl?: string;
}

/**
 * Who must have signed an image: a cosign public key, or a keyless (Sigstore Fulcio) identity.
 */
export class ImageSigner {
  /**
   * Images signed with the private half of this cosign public key (`cosign sign --key`).
   * @param publicKeyPem the PEM public key (`cosign.pub`)
   * @param rekorUrl the transparency log the signature must be recorded in (default: none is
   *   required, as for keys used with `cosign sign --tlog-upload=false`)
   */
  public static publicKey(publicKeyPem: string, rekorUrl?: string): ImageSigner {
    const pem = publicKeyPem.trim();
    if (!/^-----BEGIN PUBLIC KEY-----\r?\n[A-Za-z0-9+/=\r\n]+-----END PUBLIC KEY-----$/.test(pem)) {
      throw new Error(`ImageSigner.publicKey: 'publicKeyPem' (${JSON.stringify(publicKeyPem.slice(0, 40))}...) is not a PEM public key; `
        + `pass the contents of cosign.pub ("-----BEGIN PUBLIC KEY-----" ... "-----END PUBLIC KEY-----")`);
    }
    const keys: { [key: string]: unknown } = { publicKeys: `${pem}\n` };
    if (rekorUrl !== undefined) keys.rekor = { url: httpsUrl('ImageSigner.publicKey', 'rekorUrl', rekorUrl) };
    else keys.rekor = { ignoreTlog: true, url: SIGSTORE_REKOR_URL };
    // Named by fingerprint: every P-256 key's PEM starts with the same characters.
    const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
    return new ImageSigner(`public key sha256:${createHash('sha256').update(der).digest('hex').slice(0, 16)}`, { keys });
  }

  /** Images signed keylessly by `subject` as vouched for by `issuer` (`cosign sign` with OIDC). */
  public static keyless(options: KeylessSignerOptions): ImageSigner {
    checkKnownProps('ImageSigner.keyless', 'KeylessSignerOptions', options);
    const issuer = httpsUrl('ImageSigner.keyless', 'issuer', options.issuer);
    const subject = options.subject.trim();
    if (subject.replace(/\*/g, '') === '') {
      throw new Error(`ImageSigner.keyless: 'subject' (${JSON.stringify(options.subject)}) must name the signer (e.g. the release workflow's URL); `
        + `only wildcards would trust anyone ${issuer} vouches for`);
    }
    const rekor = httpsUrl('ImageSigner.keyless', 'rekorUrl', options.rekorUrl ?? SIGSTORE_REKOR_URL);
    return new ImageSigner(`${subject} (issuer ${issuer})`, { keyless: { subject, issuer, rekor: { url: rekor } } });
  }

  private constructor(
    /** Who the signer is, for messages. */
    public readonly description: string,
    /** The Kyverno attestor entry. */
    private readonly entry: { [key: string]: unknown },
  ) {}

  /** @internal */
  public _toAttestorEntry(): { [key: string]: unknown } {
    return this.entry;
  }
}

function httpsUrl(where: string, prop: string, value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || url.protocol !== 'https:') {
    throw new Error(`${where}: '${prop}' (${JSON.stringify(value)}) must be an https:// URL`);
  }
  return value;
}

/**
 * Props of an ImageSignaturePolicy.
 */
export interface ImageSignaturePolicyProps {
  /** The ImagePolicy whose trusted registries must hold only signed images. */
  readonly policy: ImagePolicy;
  /** Who may have signed them; an image signed by any one of them is admitted. */
  readonly signers: ImageSigner[];
  /**
   * What Kyverno does with a pod whose image is not signed: DENY (Enforce) or AUDIT (Audit).
   * @default AdmissionAction.DENY
   */
  readonly action?: AdmissionAction;
  /**
   * Name of the ClusterPolicy.
   * @default "cdk8s-secure-image-signatures"
   */
  readonly name?: string;
  /**
   * How long Kyverno may take to fetch and verify signatures, in seconds (1-30).
   * @default 30
   */
  readonly webhookTimeoutSeconds?: number;
}

/**
 * Image signature verification at admission, which CEL (and so ImageAdmissionPolicy)
 * cannot do: a Kyverno `kyverno.io/v1` ClusterPolicy with a verifyImages rule over every
 * image in the ImagePolicy's trusted registries. Each image must carry a cosign signature
 * by one of the signers (`required`), be referenced by digest (`verifyDigest`), and tags are
 * resolved to the verified digest (`mutateDigest`). Kyverno applies Pod rules to every pod
 * controller (Deployments, Jobs, ...) itself. Needs Kyverno 1.10 or later in the cluster.
 */
export class ImageSignaturePolicy extends Construct {
  /** The ClusterPolicy. */
  public readonly clusterPolicy: ApiObject;

  constructor(scope: Construct, id: string, props: ImageSignaturePolicyProps) {
    super(scope, id);
    checkKnownProps(constructWhere('ImageSignaturePolicy', scope, id), 'ImageSignaturePolicyProps', props);
    if (props.signers.length === 0) {
      throw new Error(`ImageSignaturePolicy ${this.node.path}: 'signers' is empty; `
        + `name at least one ImageSigner (a cosign public key or a keyless identity)`);
    }
    const registries = props.policy.trustedRegistries;
    if (registries.length === 0) {
      throw new Error(`ImageSignaturePolicy ${this.node.path}: the ImagePolicy trusts no registry, so there is no image to verify; `
        + `set its 'trustedRegistries'`);
    }
    const action = props.action ?? AdmissionAction.DENY;
    if (action === AdmissionAction.WARN) {
      throw new Error(`ImageSignaturePolicy ${this.node.path}: 'action' WARN has no Kyverno equivalent for image verification; `
        + `use DENY (Enforce) or AUDIT (Audit)`);
    }
    const timeout = props.webhookTimeoutSeconds ?? 30;
    if (!Number.isInteger(timeout) || timeout < 1 || timeout > 30) {
      throw new Error(`ImageSignaturePolicy ${this.node.path}: 'webhookTimeoutSeconds' (${timeout}) `
        + `must be a whole number from 1 to 30 (the API server's webhook limit)`);
    }
    this.clusterPolicy = new ApiObject(this, 'Resource', {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: {
        name: props.name ?? 'cdk8s-secure-image-signatures',
        annotations: {
          'policies.kyverno.io/title': 'Images from the trusted registries are signed',
          'policies.kyverno.io/category': 'Software Supply Chain Security',
          'policies.kyverno.io/subject': 'Pod',
          'policies.kyverno.io/description': `Every image from ${registries.join(', ')} must be signed by `
            + `${props.signers.map(s => s.description).join(' or ')} and referenced by digest.`,
        },
      },
      spec: {
        validationFailureAction: action === AdmissionAction.DENY ? 'Enforce' : 'Audit',
        background: false,
        webhookTimeoutSeconds: timeout,
        rules: [{
          name: 'verify-signatures',
          match: { any: [{ resources: { kinds: ['Pod'] } }] },
          verifyImages: [{
            imageReferences: registries.map(r => `${r.replace(/\/+$/, '')}/*`),
            attestors: [{ count: 1, entries: props.signers.map(s => s._toAttestorEntry()) }],
            mutateDigest: true,
            verifyDigest: true,
            required: true,
          }],
        }],
      },
    });
  }
}
