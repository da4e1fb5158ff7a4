import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
import { checkFileName, checkUnique } from './names';

/**
 * A secret read by the Vault CSI provider.
 */
export interface VaultSecretObject {
  /** File name in the mount. */
  readonly fileName: string;
  /** Vault path, e.g. "secret/data/shop/db" (KV v2 paths include `data/`). */
  readonly secretPath: string;
  /** Key within the secret at that path. */
  readonly secretKey: string;
}

/**
 * Options of the HashiCorp Vault CSI provider.
 * @see https://developer.hashicorp.com/vault/docs/platform/k8s/csi/configurations
 */
export interface VaultCsiOptions {
  /** Vault Kubernetes auth role the pod's ServiceAccount logs in with. */
  readonly roleName: string;
  /** Secrets to mount. */
  readonly objects: VaultSecretObject[];
  /**
   * Vault address.
   * @default - the provider's configured default
   */
  readonly vaultAddress?: string;
  /**
   * Mount path of the Kubernetes auth method.
   * @default - the provider's default ("kubernetes")
   */
  readonly kubernetesMountPath?: string;
}

/**
 * Where an AWS secret lives.
 */
export enum AwsObjectType {
  /** AWS Secrets Manager. */
  SECRETS_MANAGER = 'secretsmanager',
  /** AWS Systems Manager Parameter Store. */
  SSM_PARAMETER = 'ssmparameter',
}

/**
 * A secret read by the AWS Secrets and Configuration Provider (ASCP).
 */
export interface AwsSecretObject {
  /** File name in the mount (the provider's `objectAlias`). */
  readonly fileName: string;
  /** Secret name or full ARN. */
  readonly objectName: string;
  /** Secrets Manager or Parameter Store. */
  readonly objectType: AwsObjectType;
}

/**
 * Options of the AWS CSI provider.
 * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/ascp-examples.html
 */
export interface AwsCsiOptions {
  /** Secrets to mount. */
  readonly objects: AwsSecretObject[];
  /**
   * AWS Region of the secrets.
   * @default - looked up from the node (slower)
   */
  readonly region?: string;
  /**
   * Authenticate with EKS Pod Identity instead of IRSA.
   * @default false
   */
  readonly usePodIdentity?: boolean;
}

/**
 * A secret read by the Google Secret Manager CSI provider.
 */
export interface GcpSecretObject {
  /** File name in the mount. */
  readonly fileName: string;
  /** Full resource name: projects/PROJECT/secrets/NAME/versions/VERSION. */
  readonly resourceName: string;
}

/**
 * Options of the Google Secret Manager CSI provider.
 */
export interface GcpCsiOptions {
  /** Secrets to mount. */
  readonly secrets: GcpSecretObject[];
}

/**
 * A provider of the Secrets Store CSI driver, with its parameters.
 */
export class CsiProvider {
  /** HashiCorp Vault. */
  public static vault(options: VaultCsiOptions): CsiProvider {
    required('roleName', options.roleName);
    const objects = listOf('objects', options.objects);
    objects.forEach((o, i) => {
      required(`objects[${i}].secretPath`, o.secretPath);
      required(`objects[${i}].secretKey`, o.secretKey);
    });
    return new CsiProvider('vault', objects.map(o => o.fileName), {
      roleName: options.roleName,
      ...(options.vaultAddress ? { vaultAddress: options.vaultAddress } : {}),
      ...(options.kubernetesMountPath ? { vaultKubernetesMountPath: options.kubernetesMountPath } : {}),
      // The providers read `objects` as YAML; JSON is YAML.
      objects: JSON.stringify(objects.map(o => ({ objectName: o.fileName, secretPath: o.secretPath, secretKey: o.secretKey }))),
    });
  }

  /** AWS Secrets Manager and Parameter Store. */
  public static aws(options: AwsCsiOptions): CsiProvider {
    const objects = listOf('objects', options.objects);
    objects.forEach((o, i) => {
      required(`objects[${i}].objectName`, o.objectName);
      if (!Object.values(AwsObjectType).includes(o.objectType)) {
        throw new Error(`'objects[${i}].objectType' (${JSON.stringify(o.objectType ?? null)}) must be ${Object.values(AwsObjectType).join(' or ')}`);
      }
    });
    return new CsiProvider('aws', objects.map(o => o.fileName), {
      ...(options.region ? { region: options.region } : {}),
      ...(options.usePodIdentity ? { usePodIdentity: 'true' } : {}),
      objects: JSON.stringify(objects.map(o => ({ objectName: o.objectName, objectType: o.objectType, objectAlias: o.fileName }))),
    });
  }

  /** Google Secret Manager. */
  public static gcp(options: GcpCsiOptions): CsiProvider {
    const secrets = listOf('secrets', options.secrets);
    secrets.forEach((s, i) => {
      if (typeof s.resourceName !== 'string' || !/^projects\/[^/]+\/secrets\/[^/]+\/versions\/[^/]+$/.test(s.resourceName)) {
        throw new Error(`'secrets[${i}].resourceName' (${JSON.stringify(s.resourceName ?? null)}) must be projects/PROJECT/secrets/NAME/versions/VERSION`);
      }
    });
    return new CsiProvider('gcp', secrets.map(s => s.fileName), {
      secrets: JSON.stringify(secrets.map(s => ({ resourceName: s.resourceName, fileName: s.fileName }))),
    });
  }

  private constructor(
    /** The provider name the driver dispatches on. */
    public readonly name: string,
    /** The files the provider writes into the mount. */
    public readonly fileNames: string[],
    /** The SecretProviderClass `spec.parameters`. */
    public readonly parameters: { [key: string]: string },
  ) {}
}

function required(prop: string, value: unknown): void {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new Error(`'${prop}' (${JSON.stringify(value ?? null)}) is required by the CSI provider`);
  }
}

function listOf<T extends { fileName: string }>(prop: string, items: T[]): T[] {
  if (!Array.isArray(items) || items.length === 0) {
    throw new Error(`'${prop}' (${JSON.stringify(items ?? null)}) must list at least one secret to mount`);
  }
  items.forEach((item, i) => checkFileName(`${prop}[${i}].fileName`, item.fileName));
  checkUnique(prop, items.map(i => i.fileName));
  return items;
}

/**
 * Props of a SecretProviderClass.
 */
export interface SecretProviderClassProps {
  /** The provider and what it mounts. */
  readonly provider: CsiProvider;
  /**
   * Metadata of the object.
   * @default - generated name
   */
  readonly metadata?: ApiObjectMetadata;
}

/**
 * A Secrets Store CSI driver SecretProviderClass: the driver fetches the secrets from the
 * provider when the pod starts and writes them into a read-only tmpfs volume. Mount it with
 * `SecretMount.fromSecretProviderClass()`.
 *
 * @see https://secrets-store-csi-driver.sigs.k8s.io/concepts.html#secretproviderclass
 */
export class SecretProviderClass extends Construct {
  /** The API object. */
  public readonly apiObject: ApiObject;
  /** Name of the SecretProviderClass. */
  public readonly name: string;
  /** The files the provider writes into the mount. */
  public readonly fileNames: string[];

  constructor(scope: Construct, id: string, props: SecretProviderClassProps) {
    super(scope, id);
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'secrets-store.csi.x-k8s.io/v1',
      kind: 'SecretProviderClass',
      metadata: props.metadata,
      spec: { provider: props.provider.name, parameters: props.provider.parameters },
    });
    this.name = this.apiObject.name;
    this.fileNames = props.provider.fileNames;
  }
}
