import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
import { checkKnownProps, constructWhere } from '../workloads/known-props';
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
 * What an Azure Key Vault object is.
 */
export enum AzureObjectType {
  /** A Key Vault secret. */
  SECRET = 'secret',
  /** A Key Vault key (the public key is written, PEM). */
  KEY = 'key',
  /** A Key Vault certificate (the certificate is written, PEM). */
  CERT = 'cert',
}

/**
 * A secret read by the Azure Key Vault CSI provider.
 */
export interface AzureSecretObject {
  /** File name in the mount (the provider's `objectAlias`). */
  readonly fileName: string;
  /** Name of the object in the key vault. */
  readonly objectName: string;
  /** Secret, key or certificate. */
  readonly objectType: AzureObjectType;
  /**
   * Version of the object.
   * @default - the latest
   */
  readonly objectVersion?: string;
}

/**
 * Options of the Azure Key Vault CSI provider. The provider authenticates as an Azure
 * identity: give exactly one of `workloadIdentityClientId` (AKS workload identity, the
 * recommended way) and `managedIdentityClientId` (a user-assigned identity of the nodes).
 * @see https://azure.github.io/secrets-store-csi-driver-provider-azure/docs/getting-started/usage
 */
export interface AzureCsiOptions {
  /** Name of the key vault. */
  readonly keyVaultName: string;
  /** ID (GUID) of the Microsoft Entra tenant the key vault belongs to. */
  readonly tenantId: string;
  /** Secrets to mount. */
  readonly objects: AzureSecretObject[];
  /**
   * Client ID of the managed identity federated with the pod's ServiceAccount (AKS workload identity).
   * @default - none; then `managedIdentityClientId` is required
   */
  readonly workloadIdentityClientId?: string;
  /**
   * Client ID of a user-assigned managed identity of the nodes. Every pod on those nodes can
   * use it, so prefer workload identity.
   * @default - none; then `workloadIdentityClientId` is required
   */
  readonly managedIdentityClientId?: string;
  /**
   * Azure cloud of the key vault, e.g. "AzureUSGovernmentCloud".
   * @default - the provider's default (AzurePublicCloud)
   */
  readonly cloudName?: string;
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** Key vault names: 3-24 letters, digits and hyphens, starting with a letter, no "--", not ending in "-". */
const KEY_VAULT_NAME = /^(?!.*--)[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/;

/**
 * A provider of the Secrets Store CSI driver, with its parameters.
 */
export class CsiProvider {
  /** HashiCorp Vault. */
  public static vault(options: VaultCsiOptions): CsiProvider {
    checkKnownProps('CsiProvider.vault', 'VaultCsiOptions', options);
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
    checkKnownProps('CsiProvider.aws', 'AwsCsiOptions', options);
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
    checkKnownProps('CsiProvider.gcp', 'GcpCsiOptions', options);
    const secrets = listOf('secrets', options.secrets);
    secrets.forEach((s, i) => {
      if (typeof s.resourceName !== 'string' || !/^projects\/[^/]+\/secrets\/[^/]+\/versions\/[^/]+$/.test(s.resourceName)) {
        throw new Error(`'secrets[${i}].resourceName' (${JSON.stringify(s.resourceName ?? null)}) `
          + `must be projects/PROJECT/secrets/NAME/versions/VERSION`);
      }
    });
    return new CsiProvider('gcp', secrets.map(s => s.fileName), {
      secrets: JSON.stringify(secrets.map(s => ({ resourceName: s.resourceName, fileName: s.fileName }))),
    });
  }

  /** Azure Key Vault. */
  public static azure(options: AzureCsiOptions): CsiProvider {
    checkKnownProps('CsiProvider.azure', 'AzureCsiOptions', options);
    if (typeof options.keyVaultName !== 'string' || !KEY_VAULT_NAME.test(options.keyVaultName)) {
      throw new Error(`'keyVaultName' (${JSON.stringify(options.keyVaultName ?? null)}) must be a key vault name: 3-24 letters, `
        + `digits and hyphens, starting with a letter`);
    }
    guid('tenantId', options.tenantId);
    const identities = [options.workloadIdentityClientId, options.managedIdentityClientId].filter(i => i !== undefined);
    if (identities.length !== 1) {
      throw new Error(`give exactly one of 'workloadIdentityClientId' (AKS workload identity, recommended) `
        + `and 'managedIdentityClientId' (a node identity); got ${identities.length}`);
    }
    if (options.workloadIdentityClientId !== undefined) guid('workloadIdentityClientId', options.workloadIdentityClientId);
    if (options.managedIdentityClientId !== undefined) guid('managedIdentityClientId', options.managedIdentityClientId);
    const objects = listOf('objects', options.objects);
    objects.forEach((o, i) => {
      required(`objects[${i}].objectName`, o.objectName);
      if (!Object.values(AzureObjectType).includes(o.objectType)) {
        throw new Error(`'objects[${i}].objectType' (${JSON.stringify(o.objectType ?? null)}) must be ${Object.values(AzureObjectType).join(', ')}`);
      }
    });
    return new CsiProvider('azure', objects.map(o => o.fileName), {
      keyvaultName: options.keyVaultName,
      tenantId: options.tenantId,
      usePodIdentity: 'false',
      ...(options.workloadIdentityClientId !== undefined
        ? { clientID: options.workloadIdentityClientId }
        : { useVMManagedIdentity: 'true', userAssignedIdentityID: options.managedIdentityClientId! }),
      ...(options.cloudName ? { cloudName: options.cloudName } : {}),
      // The provider reads `objects` as YAML holding `array`, a list of YAML documents, one per
      // object; JSON is YAML at both levels.
      objects: JSON.stringify({
        array: objects.map(o => JSON.stringify({ objectName: o.objectName, objectType: o.objectType, objectAlias: o.fileName,
          objectVersion: o.objectVersion ?? '' })),
      }),
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

function guid(prop: string, value: unknown): void {
  if (typeof value !== 'string' || !GUID.test(value)) {
    throw new Error(`'${prop}' (${JSON.stringify(value ?? null)}) must be a GUID, e.g. 00000000-0000-0000-0000-000000000000`);
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
    checkKnownProps(constructWhere('SecretProviderClass', scope, id), 'SecretProviderClassProps', props);
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
