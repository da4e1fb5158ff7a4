import type { k8s } from '../kplus';
import { brand, hasBrand } from '../vocab/brand';
import { checkKnownProps } from '../workloads/known-props';
import { ExternalSecret } from './external-secret';
import { checkFileName, checkUnique } from './names';
import { SecretProviderClass } from './secret-provider-class';

/** Directory secret files appear under unless told otherwise: `/run/secrets/<name>`. */
export const SECRETS_ROOT = '/run/secrets';
/** Files of Secret volumes are readable by their owner only; the pod's fsGroup adds group read. */
export const SECRET_FILE_MODE = 0o400;

/**
 * Options of a secret mount.
 */
export interface SecretMountOptions {
  /**
   * Directory the secret's files appear in.
   * @default "/run/secrets/<name of the Secret, ExternalSecret target or SecretProviderClass>"
   */
  readonly path?: string;
  /**
   * Only these keys become files (not for CSI sources, which mount every object of their class).
   * @default - every key
   */
  readonly keys?: string[];
  /**
   * Names of the containers that get the mount.
   * @default - every container and init container of the workload
   */
  readonly containers?: string[];
}

/**
 * A secret delivered by the orchestrator as read-only files (mode 0400, readable by the
 * pod's user through its fsGroup): from an existing Secret, an External Secrets Operator
 * ExternalSecret, or a Secrets Store CSI SecretProviderClass. Give it to a Secure*
 * workload through `secrets` or `addSecretMount()`.
 */
export class SecretMount {
  /** Whether `x` is a SecretMount (of any installed copy of this library). */
  public static isSecretMount(x: any): x is SecretMount {
    return hasBrand(x, 'SecretMount');
  }

  /**
   * An existing Secret, created outside the app (by a secret manager or the platform team).
   */
  public static fromSecretName(secretName: string, options: SecretMountOptions = {}): SecretMount {
    checkKnownProps('SecretMount.fromSecretName', 'SecretMountOptions', options);
    if (typeof secretName !== 'string' || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(secretName)) {
      throw new Error(`SecretMount.fromSecretName: secret name (${JSON.stringify(secretName ?? null)}) `
        + `must be a DNS subdomain name such as "shop-db-credentials"`);
    }
    return new SecretMount('secret', secretName, undefined, options);
  }

  /**
   * The Secret an ExternalSecret synchronises; `keys` must be among its data keys.
   */
  public static fromExternalSecret(externalSecret: ExternalSecret, options: SecretMountOptions = {}): SecretMount {
    checkKnownProps('SecretMount.fromExternalSecret', 'SecretMountOptions', options);
    return new SecretMount('secret', externalSecret.secretName, externalSecret.keys, options);
  }

  /**
   * A Secrets Store CSI volume of a SecretProviderClass.
   */
  public static fromSecretProviderClass(secretProviderClass: SecretProviderClass, options: SecretMountOptions = {}): SecretMount {
    checkKnownProps('SecretMount.fromSecretProviderClass', 'SecretMountOptions', options);
    if (options.keys) {
      throw new Error(`SecretMount.fromSecretProviderClass: 'keys' (${JSON.stringify(options.keys)}) cannot select files of a CSI volume; `
        + `list only the objects you need in the SecretProviderClass`);
    }
    return new SecretMount('csi', secretProviderClass.name, secretProviderClass.fileNames, options);
  }

  /** Directory the files appear in. */
  public readonly path: string;
  /** The files the mount holds, where known. */
  public readonly files?: string[];
  /** Containers that get the mount; undefined for all. */
  public readonly containers?: string[];

  private constructor(
    private readonly source: 'secret' | 'csi',
    /** Name of the Secret or SecretProviderClass. */
    public readonly name: string,
    declared: string[] | undefined,
    options: SecretMountOptions,
  ) {
    brand(this, 'SecretMount');
    this.path = options.path ?? `${SECRETS_ROOT}/${name}`;
    if (options.keys !== undefined) {
      if (!Array.isArray(options.keys) || options.keys.length === 0) {
        throw new Error(`SecretMount "${name}": 'keys' (${JSON.stringify(options.keys)}) must list at least one key, or be left out for every key`);
      }
      options.keys.forEach((k, i) => checkFileName(`keys[${i}]`, k));
      checkUnique('keys', options.keys);
      const unknown = declared ? options.keys.filter(k => !declared.includes(k)) : [];
      if (unknown.length) {
        throw new Error(`SecretMount "${name}": 'keys' (${JSON.stringify(options.keys)}) names ${unknown.map(k => `"${k}"`).join(', ')}, `
          + `which the source does not provide; it provides ${declared!.join(', ')}`);
      }
    }
    this.keys = options.keys;
    this.files = options.keys ?? declared;
    this.containers = options.containers;
  }

  /** The selected keys, or undefined for all. */
  public readonly keys?: string[];

  /**
   * The pod volume for this mount.
   * @internal
   */
  public _toVolume(volumeName: string): k8s.Volume {
    if (this.source === 'csi') {
      return { name: volumeName, csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: this.name } } };
    }
    return {
      name: volumeName,
      secret: {
        secretName: this.name,
        defaultMode: SECRET_FILE_MODE,
        items: this.keys?.map(key => ({ key, path: key })),
      },
    };
  }
}
