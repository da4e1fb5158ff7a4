import { ApiObject, ApiObjectMetadata, Duration, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { checkKnownProps, constructWhere } from '../workloads/known-props';
import { checkFileName, checkUnique } from './names';

/**
 * The kind of External Secrets Operator store an ExternalSecret reads from.
 */
export enum SecretStoreKind {
  /** A SecretStore in the ExternalSecret's namespace. */
  SECRET_STORE = 'SecretStore',
  /** A cluster-wide ClusterSecretStore. */
  CLUSTER_SECRET_STORE = 'ClusterSecretStore',
}

/**
 * The External Secrets Operator API version to emit.
 */
export enum ExternalSecretsApiVersion {
  /** `external-secrets.io/v1`: served by the operator from v0.17. */
  V1 = 'external-secrets.io/v1',
  /** `external-secrets.io/v1beta1`: for operators older than v0.17. */
  V1BETA1 = 'external-secrets.io/v1beta1',
}

/**
 * The store an ExternalSecret reads from.
 */
export interface SecretStoreRef {
  /** Name of the SecretStore or ClusterSecretStore. */
  readonly name: string;
  /**
   * Its kind.
   * @default SecretStoreKind.SECRET_STORE
   */
  readonly kind?: SecretStoreKind;
}

/**
 * One key of the synchronised Secret and where its value comes from.
 */
export interface ExternalSecretData {
  /** Key in the Secret, and so the file name when mounted. */
  readonly key: string;
  /** Key of the secret in the external store (e.g. a Vault path or an AWS secret name). */
  readonly remoteKey: string;
  /**
   * Property within a structured remote secret (e.g. a JSON field).
   * @default - the whole remote value
   */
  readonly property?: string;
  /**
   * Version of the remote secret.
   * @default - the latest
   */
  readonly version?: string;
}

/**
 * Props of an ExternalSecret.
 */
export interface ExternalSecretProps {
  /** The SecretStore or ClusterSecretStore to read from. */
  readonly store: SecretStoreRef;
  /** The keys to synchronise: at least one. */
  readonly data: ExternalSecretData[];
  /**
   * How often the operator re-reads the store (rotated secrets arrive within this time).
   * @default Duration.hours(1)
   */
  readonly refreshInterval?: Duration;
  /**
   * Name of the Secret the operator creates.
   * @default - the ExternalSecret's own name
   */
  readonly targetName?: string;
  /**
   * Metadata of the ExternalSecret object.
   * @default - generated name
   */
  readonly metadata?: ApiObjectMetadata;
  /**
   * API version to emit.
   * @default ExternalSecretsApiVersion.V1
   */
  readonly apiVersion?: ExternalSecretsApiVersion;
}

/**
 * An External Secrets Operator ExternalSecret: the operator copies the listed keys from
 * an external secret manager into a Kubernetes Secret at run time, so no secret value is
 * ever in the manifests. Mount it with `SecretMount.fromExternalSecret()`.
 *
 * @see https://external-secrets.io/latest/api/externalsecret/
 */
export class ExternalSecret extends Construct {
  /** The API object. */
  public readonly apiObject: ApiObject;
  /** Name of the Secret the operator creates. */
  public readonly secretName: string;
  /** The keys the Secret will hold. */
  public readonly keys: string[];

  constructor(scope: Construct, id: string, props: ExternalSecretProps) {
    super(scope, id);
    checkKnownProps(constructWhere('ExternalSecret', scope, id), 'ExternalSecretProps', props);
    if (!props.store || typeof props.store.name !== 'string' || props.store.name === '') {
      throw new Error(`'store.name' (${JSON.stringify(props.store?.name ?? null)}) must name the SecretStore or ClusterSecretStore to read from`);
    }
    if (!Array.isArray(props.data) || props.data.length === 0) {
      throw new Error(`'data' (${JSON.stringify(props.data ?? null)}) must list at least one key to synchronise, `
        + `e.g. [{ key: 'password', remoteKey: 'shop/db' }]`);
    }
    props.data.forEach((d, i) => {
      checkFileName(`data[${i}].key`, d.key);
      if (typeof d.remoteKey !== 'string' || d.remoteKey === '') {
        throw new Error(`'data[${i}].remoteKey' (${JSON.stringify(d.remoteKey ?? null)}) must name the secret in the external store`);
      }
    });
    this.keys = props.data.map(d => d.key);
    checkUnique('data', this.keys);
    const refresh = props.refreshInterval ?? Duration.hours(1);

    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: props.apiVersion ?? ExternalSecretsApiVersion.V1,
      kind: 'ExternalSecret',
      metadata: props.metadata,
      spec: {
        refreshInterval: `${refresh.toSeconds()}s`,
        secretStoreRef: { name: props.store.name, kind: props.store.kind ?? SecretStoreKind.SECRET_STORE },
        target: { name: Lazy.any({ produce: () => this.secretName }), creationPolicy: 'Owner' },
        data: props.data.map(d => ({
          secretKey: d.key,
          remoteRef: { key: d.remoteKey, property: d.property, version: d.version },
        })),
      },
    });
    this.secretName = props.targetName ?? this.apiObject.name;
  }
}
