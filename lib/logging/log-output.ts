import { EgressDestination } from '../network/egress-destination';
import { constructReasonProblem, quotedReason } from '../policy';
import { shown } from '../vocab/shown';
import { checkKnownProps } from '../workloads/known-props';
import { Exemption } from '../workloads/props';

/** Where the shipper finds the client certificate's files. */
export const LOG_CLIENT_CERTIFICATE_DIR = '/fluent-bit/secrets/client-tls';

/** A credential property of an output: Fluent Bit property (and header name), the prop, the Secret key. */
type SecretProperty = [string, string, LogSecretKey | undefined];

function publicName(plugin: string): string {
  return plugin === 'es' ? 'elasticsearch' : plugin;
}

/**
 * A literal config value: one line, so it cannot smuggle other properties into the configuration, and no `${`, which
 * Fluent Bit expands from the shipper's environment, where the output's secrets are (`${LOG_OUTPUT_HTTP_PASSWD}` in a
 * URI or a user name would send the secret where it is logged).
 */
function text(plugin: string, prop: string, value: unknown): string {
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  if (typeof value !== 'string' || value.trim() === '' || /[\u0000-\u001f\u007f]/.test(value)) {
    throw new Error(`LogOutput.${publicName(plugin)}: '${prop}' (${shown(value ?? null)}) must be a non-empty single line of text`);
  }
  if (value.includes('${')) {
    throw new Error(`LogOutput.${publicName(plugin)}: '${prop}' (${shown(value)}) must not contain "\${": Fluent Bit expands \${NAME} from the `
      + "shipper's environment, where the output's secrets are; give secrets as Secret keys (e.g. 'basicAuth.password')");
  }
  return value;
}

/** An absolute path, one line of text (`caFile`): Fluent Bit resolves a relative one against its working directory. */
function absolutePath(plugin: string, prop: string, value: unknown): string {
  const path = text(plugin, prop, value);
  if (!path.startsWith('/')) {
    throw new Error(`LogOutput.${publicName(plugin)}: '${prop}' (${shown(path)}) must be an absolute path, e.g. "/etc/ssl/logs/ca.crt"`);
  }
  return path;
}

/**
 * An Elasticsearch or OpenSearch index name as the server takes it (MetadataCreateIndexService.validateIndexOrAliasName):
 * lowercase, none of \\ / * ? " < > | , # : or a space, not starting with "-", "_" or "+", not "." or "..", at most 255 bytes.
 */
function indexName(plugin: string, value: unknown): string {
  const index = text(plugin, 'index', value);
  if (index !== index.toLowerCase() || /[\\/*?"<>|,#: ]/.test(index) || /^[-_+]/.test(index) || index === '.' || index === '..'
    || Buffer.byteLength(index) > 255) {
    throw new Error(`LogOutput.${publicName(plugin)}: 'index' (${shown(index)}) is not an index name: lowercase, without \\ / * ? " < > | , # : `
      + 'or spaces, not starting with "-", "_" or "+", at most 255 bytes, e.g. "logs"');
  }
  return index;
}

/** Loki's static labels, written `k=v, k=v`: each key a Prometheus label name, each value one line without "," or "=". */
function lokiLabels(labels: { [key: string]: unknown }): string {
  return Object.entries(labels).map(([key, value]) => {
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(key)) {
      throw new Error(`LogOutput.loki: 'labels' key ${shown(key)} is not a Loki label name: letters, digits and "_", not starting with a digit`);
    }
    const v = text('loki', `labels.${key}`, value);
    if (/[,=]/.test(v)) {
      throw new Error(`LogOutput.loki: 'labels.${key}' (${shown(v)}) must not contain "," or "=", which separate the labels Fluent Bit sends`);
    }
    return `${key}=${v}`;
  }).join(', ');
}

/** An HTTP request path (`uri`): one line of text starting with "/". */
function requestPath(value: unknown): string {
  if (value === undefined) return '/';
  const uri = text('http', 'uri', value);
  if (!uri.startsWith('/')) throw new Error(`LogOutput.http: 'uri' (${shown(uri)}) must be a request path starting with "/", e.g. "/logs"`);
  return uri;
}

function basicUser(plugin: string, auth: LogBasicAuth | undefined): { [key: string]: string } {
  return auth ? { http_user: text(plugin, 'basicAuth.user', auth.user) } : {};
}

const HOST = /^(?=.{1,253}$)([a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?)*$|^\[?[0-9a-fA-F:.]+\]?$/;

/**
 * TLS towards the log server. On, with certificate verification, unless a reason is given.
 */
export interface LogTlsOptions {
  /**
   * Send in plain text: needs a reason (e.g. a node-local collector on the loopback).
   * @default - TLS on
   */
  readonly disableTls?: Exemption;
  /**
   * Do not verify the server certificate: needs a reason.
   * @default - verified
   */
  readonly skipVerify?: Exemption;
  /**
   * CA bundle file to verify the server with (e.g. from a SecretMount).
   * @default - the image's system CAs
   */
  readonly caFile?: string;
  /**
   * A client certificate to authenticate with (mutual TLS, e.g. Elasticsearch's PKI realm or a
   * TLS-terminating proxy in front of Loki), mounted as read-only files from a Secret into
   * the shipper only.
   * @default - no client certificate
   */
  readonly clientCertificate?: LogClientCertificate;
}

/**
 * One key of a Kubernetes Secret (created by the platform's secret manager, never by the app).
 */
export interface LogSecretKey {
  /** Name of the Secret, in the shipper's namespace. */
  readonly secretName: string;
  /** Key in the Secret. */
  readonly key: string;
}

/**
 * HTTP basic authentication (or the forward protocol's user authentication).
 */
export interface LogBasicAuth {
  /** User name (not a secret). */
  readonly user: string;
  /** The password, from a Secret. */
  readonly password: LogSecretKey;
}

/**
 * A client certificate and its private key in a Secret, e.g. of type kubernetes.io/tls.
 */
export interface LogClientCertificate {
  /** Name of the Secret, in the shipper's namespace. */
  readonly secretName: string;
  /**
   * Key of the PEM certificate.
   * @default "tls.crt"
   */
  readonly certificateKey?: string;
  /**
   * Key of the PEM private key.
   * @default "tls.key"
   */
  readonly privateKeyKey?: string;
}

/**
 * Where a log server listens.
 */
export interface LogServerOptions extends LogTlsOptions {
  /** Host name or IP address of the central log server. */
  readonly host: string;
  /**
   * Port.
   * @default - the protocol's usual port
   */
  readonly port?: number;
  /**
   * Where the server is, as a NetworkPolicy can name it (a DNS name cannot be a peer): the
   * shippers then get an egress NetworkPolicy to it on `port`.
   * @default - none: under a default-deny namespace the `egress-reachable` rule fails synth and says how to declare it
   */
  readonly destination?: EgressDestination;
}

/** Options of a Fluentd/Fluent Bit forward output. */
export interface ForwardOutputOptions extends LogServerOptions {
  /**
   * Shared key of Secure Forward (the server's `shared_key`); needs TLS.
   * @default - no shared key
   */
  readonly sharedKey?: LogSecretKey;
  /**
   * User authentication of Secure Forward (the server's `user_auth`); needs TLS.
   * @default - none
   */
  readonly userAuth?: LogBasicAuth;
  /**
   * Host name the shipper presents in the Secure Forward handshake.
   * @default "localhost" (Fluent Bit's default)
   */
  readonly selfHostname?: string;
}

/** Options of an HTTP output. */
export interface HttpOutputOptions extends LogServerOptions {
  /**
   * Request path.
   * @default "/"
   */
  readonly uri?: string;
  /**
   * HTTP basic authentication.
   * @default - none
   */
  readonly basicAuth?: LogBasicAuth;
  /**
   * Request headers whose values are secrets (e.g. { Authorization: ..., 'X-API-Key': ... }).
   * @default - none
   */
  readonly secretHeaders?: { [name: string]: LogSecretKey };
}

/** Options of an Elasticsearch or OpenSearch output. */
export interface SearchOutputOptions extends LogServerOptions {
  /**
   * Index.
   * @default "logs"
   */
  readonly index?: string;
  /**
   * HTTP basic authentication (the cluster's user and password).
   * @default - none
   */
  readonly basicAuth?: LogBasicAuth;
}

/** Options of a Grafana Loki output. */
export interface LokiOutputOptions extends LogServerOptions {
  /**
   * Static labels added to every stream, e.g. { cluster: 'prod' }.
   * @default - job=fluent-bit only
   */
  readonly labels?: { [key: string]: string };
  /**
   * Tenant (the X-Scope-OrgID header) of a multi-tenant Loki; an identifier, not a secret.
   * @default - single-tenant: no header
   */
  readonly tenantId?: string;
  /**
   * HTTP basic authentication.
   * @default - none
   */
  readonly basicAuth?: LogBasicAuth;
  /**
   * Bearer token authentication.
   * @default - none
   */
  readonly bearerToken?: LogSecretKey;
}

/** Options of a syslog output (RFC 5424 over TCP, or TLS by default). */
export interface SyslogOutputOptions extends LogServerOptions {}

/** A Fluent Bit output, rendered as its YAML config properties. */
export interface FluentBitOutput {
  /** Fluent Bit output plugin name. */
  readonly name: string;
  /** Properties of the output. */
  readonly properties: { [key: string]: any };
}

/**
 * The central log server logs are shipped to: forward (Fluentd/Fluent Bit), HTTP,
 * Elasticsearch, OpenSearch, Loki or syslog. TLS with certificate verification is on unless
 * a reason is given to turn either off.
 */
export class LogOutput {
  /** Fluentd / Fluent Bit forward protocol (port 24224). */
  public static forward(options: ForwardOutputOptions): LogOutput {
    checkKnownProps('LogOutput.forward', 'ForwardOutputOptions', options);
    if ((options.sharedKey || options.userAuth) && options.disableTls) {
      throw new Error(`LogOutput.forward: 'sharedKey' and 'userAuth' are Secure Forward, which needs TLS; remove 'disableTls'`);
    }
    return new LogOutput('forward', options, 24224, {
      ...(options.selfHostname !== undefined ? { self_hostname: text('forward', 'selfHostname', options.selfHostname) } : {}),
      ...(options.userAuth ? { username: text('forward', 'userAuth.user', options.userAuth.user) } : {}),
    }, [['shared_key', 'sharedKey', options.sharedKey], ['password', 'userAuth.password', options.userAuth?.password]]);
  }

  /** HTTP(S) endpoint receiving JSON lines (port 443). */
  public static http(options: HttpOutputOptions): LogOutput {
    checkKnownProps('LogOutput.http', 'HttpOutputOptions', options);
    const headers = Object.entries(options.secretHeaders ?? {});
    for (const [name] of headers) {
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
        throw new Error(`LogOutput.http: 'secretHeaders' name ${JSON.stringify(name)} is not an HTTP header name`);
      }
    }
    return new LogOutput('http', options, 443, { uri: requestPath(options.uri), format: 'json_lines', ...basicUser('http', options.basicAuth) }, [
      ['http_passwd', 'basicAuth.password', options.basicAuth?.password],
      ...headers.map(([name, secret]): SecretProperty => [`header ${name}`, `secretHeaders.${name}`, secret]),
    ]);
  }

  /** Elasticsearch (port 9200). */
  public static elasticsearch(options: SearchOutputOptions): LogOutput {
    checkKnownProps('LogOutput.elasticsearch', 'SearchOutputOptions', options);
    const index = indexName('es', options.index ?? 'logs');
    const extra = { index, suppress_type_name: 'on', ...basicUser('elasticsearch', options.basicAuth) };
    return new LogOutput('es', options, 9200, extra, [['http_passwd', 'basicAuth.password', options.basicAuth?.password]]);
  }

  /** OpenSearch (port 9200). */
  public static opensearch(options: SearchOutputOptions): LogOutput {
    checkKnownProps('LogOutput.opensearch', 'SearchOutputOptions', options);
    const index = indexName('opensearch', options.index ?? 'logs');
    const extra = { index, suppress_type_name: 'on', ...basicUser('opensearch', options.basicAuth) };
    return new LogOutput('opensearch', options, 9200, extra, [['http_passwd', 'basicAuth.password', options.basicAuth?.password]]);
  }

  /** Grafana Loki (port 3100). */
  public static loki(options: LokiOutputOptions): LogOutput {
    checkKnownProps('LogOutput.loki', 'LokiOutputOptions', options);
    const labels = { job: 'fluent-bit', ...options.labels };
    if (options.basicAuth && options.bearerToken) throw new Error(`LogOutput.loki: give 'basicAuth' or 'bearerToken', not both`);
    return new LogOutput('loki', options, 3100, {
      labels: lokiLabels(labels),
      label_keys: '$pod,$namespace,$container',
      ...(options.tenantId !== undefined ? { tenant_id: text('loki', 'tenantId', options.tenantId) } : {}),
      ...basicUser('loki', options.basicAuth),
    }, [['http_passwd', 'basicAuth.password', options.basicAuth?.password], ['bearer_token', 'bearerToken', options.bearerToken]]);
  }

  /** Syslog, RFC 5424 over TCP (port 6514, syslog over TLS). */
  public static syslog(options: SyslogOutputOptions): LogOutput {
    checkKnownProps('LogOutput.syslog', 'SyslogOutputOptions', options);
    return new LogOutput('syslog', options, 6514, { mode: options.disableTls ? 'tcp' : 'tls', syslog_format: 'rfc5424', syslog_message_key: 'log' });
  }

  /** Host of the log server. */
  public readonly host: string;
  /** Port of the log server. */
  public readonly port: number;
  /** Where the server is for NetworkPolicies, when declared. */
  public readonly destination?: EgressDestination;
  /** Reasons given for weakening TLS, for the record in the configuration's annotations. */
  public readonly tlsExemptions: { [what: string]: string };
  /**
   * Secrets Fluent Bit reads from environment variables: variable name to Secret key. Fluent
   * Bit takes these credentials only from its configuration, where `${VAR}` is the one way in.
   */
  public readonly secretEnv: { [variable: string]: LogSecretKey };
  /** The client certificate, mounted into the shipper as files. */
  public readonly clientCertificate?: LogClientCertificate;
  private readonly plugin: string;
  private readonly extra: { [key: string]: any };
  private readonly tls: boolean;
  private readonly verify: boolean;
  private readonly caFile?: string;

  private readonly secretProperties: { [property: string]: string[] };

  private constructor(plugin: string, options: LogServerOptions, defaultPort: number, extra: { [key: string]: any }, secrets: SecretProperty[] = []) {
    if (typeof options?.host !== 'string' || !HOST.test(options.host)) {
      throw new Error(`LogOutput.${publicName(plugin)}: 'host' (${JSON.stringify(options?.host ?? null)}) `
        + `must be the log server's host name or IP address`);
    }
    const port = options.port ?? defaultPort;
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new Error(`LogOutput.${publicName(plugin)}: 'port' (${options.port}) must be a whole number from 1 to 65535`);
    }
    this.tlsExemptions = {};
    for (const [key, label] of [['disableTls', 'tls-disabled'], ['skipVerify', 'tls-verify-disabled']] as const) {
      const exemption = options[key];
      if (exemption === undefined) continue;
      const problem = constructReasonProblem(exemption.reason);
      if (problem) throw new Error(`'${key}.reason' (${quotedReason(exemption.reason)}) ${problem}: say why logs may travel without it`);
      this.tlsExemptions[label] = exemption.reason;
    }
    this.plugin = plugin;
    this.host = options.host;
    this.port = port;
    this.extra = extra;
    this.tls = options.disableTls === undefined;
    this.verify = this.tls && options.skipVerify === undefined;
    this.caFile = options.caFile === undefined ? undefined : absolutePath(plugin, 'caFile', options.caFile);
    if (options.destination !== undefined && !EgressDestination.isEgressDestination(options.destination)) {
      throw new Error(`LogOutput.${publicName(plugin)}: 'destination' must be an EgressDestination `
        + '(EgressDestination.cidr or EgressDestination.inCluster)');
    }
    this.destination = options.destination;
    this.secretEnv = {};
    this.secretProperties = {};
    for (const [property, prop, secret] of secrets) {
      if (secret === undefined) continue;
      const ok = (v: unknown) => typeof v === 'string' && v !== '' && v.length <= 253;
      const named = ok(secret?.secretName) && /^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/.test(secret.secretName)
        && ok(secret.key) && /^[-._a-zA-Z0-9]+$/.test(secret.key);
      if (!named) {
        throw new Error(`LogOutput.${publicName(plugin)}: '${prop}' (${JSON.stringify(secret ?? null)}) must name a Secret and one of its keys, `
          + "e.g. { secretName: 'logs-credentials', key: 'password' }");
      }
      const variable = `LOG_OUTPUT_${property.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase()}`;
      if (this.secretEnv[variable]) {
        throw new Error(`LogOutput.${publicName(plugin)}: '${prop}' would share the environment variable ${variable} with another credential; `
          + `rename the header`);
      }
      this.secretEnv[variable] = { secretName: secret.secretName, key: secret.key };
      const [name, ...rest] = property.split(' ');
      (this.secretProperties[name] ??= []).push(`${rest.length ? `${rest.join(' ')} ` : ''}\${${variable}}`);
    }
    const cert = options.clientCertificate;
    if (cert !== undefined && (typeof cert?.secretName !== 'string' || !/^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/.test(cert.secretName))) {
      throw new Error(`LogOutput.${publicName(plugin)}: 'clientCertificate.secretName' (${JSON.stringify(cert?.secretName ?? null)}) `
        + 'must name a Secret holding the certificate and key');
    }
    if (cert && !this.tls) throw new Error(`LogOutput.${publicName(plugin)}: 'clientCertificate' authenticates over TLS; remove 'disableTls'`);
    this.clientCertificate = cert;
  }

  /** Why the shipper reads secrets from environment variables, for its exemption. */
  public get secretEnvReason(): string | undefined {
    const properties = Object.keys(this.secretProperties);
    if (properties.length === 0) return undefined;
    return `Fluent Bit's ${this.plugin} output reads ${properties.join(' and ')} only from its configuration, `
      + 'where an environment variable is the one way to bring a secret in';
  }

  /** The server in words, e.g. "log server logs.example.com:24224 (forward)". */
  public get description(): string {
    return `log server ${this.host}:${this.port} (${this.plugin})`;
  }

  /** The Fluent Bit output section for records matching `match`. */
  public toFluentBit(match: string): FluentBitOutput {
    return {
      name: this.plugin,
      properties: {
        match,
        host: this.host,
        port: this.port,
        ...this.extra,
        'tls': this.tls ? 'on' : 'off',
        'tls.verify': this.verify ? 'on' : 'off',
        ...(this.caFile ? { 'tls.ca_file': this.caFile } : {}),
        ...(this.clientCertificate ? {
          'tls.crt_file': `${LOG_CLIENT_CERTIFICATE_DIR}/${this.clientCertificate.certificateKey ?? 'tls.crt'}`,
          'tls.key_file': `${LOG_CLIENT_CERTIFICATE_DIR}/${this.clientCertificate.privateKeyKey ?? 'tls.key'}`,
        } : {}),
        // A property given more than once (header) is a list.
        ...Object.fromEntries(Object.entries(this.secretProperties).map(([name, values]) => [name, name !== 'header' ? values[0] : values])),
        'retry_limit': 'no_limits',
      },
    };
  }
}
