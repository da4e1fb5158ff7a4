import { constructReasonProblem } from '../policy/suppressions';
import { Exemption } from '../workloads/props';

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
}

/** Options of a Fluentd/Fluent Bit forward output. */
export interface ForwardOutputOptions extends LogServerOptions {}

/** Options of an HTTP output. */
export interface HttpOutputOptions extends LogServerOptions {
  /**
   * Request path.
   * @default "/"
   */
  readonly uri?: string;
}

/** Options of an Elasticsearch or OpenSearch output. */
export interface SearchOutputOptions extends LogServerOptions {
  /**
   * Index.
   * @default "logs"
   */
  readonly index?: string;
}

/** Options of a Grafana Loki output. */
export interface LokiOutputOptions extends LogServerOptions {
  /**
   * Static labels added to every stream, e.g. { cluster: 'prod' }.
   * @default - job=fluent-bit only
   */
  readonly labels?: { [key: string]: string };
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
    return new LogOutput('forward', options, 24224, {});
  }

  /** HTTP(S) endpoint receiving JSON lines (port 443). */
  public static http(options: HttpOutputOptions): LogOutput {
    return new LogOutput('http', options, 443, { uri: options.uri ?? '/', format: 'json_lines' });
  }

  /** Elasticsearch (port 9200). */
  public static elasticsearch(options: SearchOutputOptions): LogOutput {
    return new LogOutput('es', options, 9200, { index: options.index ?? 'logs', suppress_type_name: 'on' });
  }

  /** OpenSearch (port 9200). */
  public static opensearch(options: SearchOutputOptions): LogOutput {
    return new LogOutput('opensearch', options, 9200, { index: options.index ?? 'logs', suppress_type_name: 'on' });
  }

  /** Grafana Loki (port 3100). */
  public static loki(options: LokiOutputOptions): LogOutput {
    const labels = { job: 'fluent-bit', ...options.labels };
    return new LogOutput('loki', options, 3100, {
      labels: Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(', '),
      label_keys: '$pod,$namespace,$container',
    });
  }

  /** Syslog, RFC 5424 over TCP (port 6514, syslog over TLS). */
  public static syslog(options: SyslogOutputOptions): LogOutput {
    return new LogOutput('syslog', options, 6514, { mode: options.disableTls ? 'tcp' : 'tls', syslog_format: 'rfc5424', syslog_message_key: 'log' });
  }

  /** Host of the log server. */
  public readonly host: string;
  /** Port of the log server. */
  public readonly port: number;
  /** Reasons given for weakening TLS, for the record in the configuration's annotations. */
  public readonly tlsExemptions: { [what: string]: string };
  private readonly plugin: string;
  private readonly extra: { [key: string]: any };
  private readonly tls: boolean;
  private readonly verify: boolean;
  private readonly caFile?: string;

  private constructor(plugin: string, options: LogServerOptions, defaultPort: number, extra: { [key: string]: any }) {
    if (typeof options?.host !== 'string' || !HOST.test(options.host)) {
      throw new Error(`LogOutput.${plugin === 'es' ? 'elasticsearch' : plugin}: 'host' (${JSON.stringify(options?.host ?? null)}) must be the log server's host name or IP address`);
    }
    const port = options.port ?? defaultPort;
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new Error(`LogOutput.${plugin === 'es' ? 'elasticsearch' : plugin}: 'port' (${options.port}) must be a whole number from 1 to 65535`);
    }
    this.tlsExemptions = {};
    for (const [key, label] of [['disableTls', 'tls-disabled'], ['skipVerify', 'tls-verify-disabled']] as const) {
      const exemption = options[key];
      if (exemption === undefined) continue;
      const problem = constructReasonProblem(exemption.reason);
      if (problem) throw new Error(`'${key}.reason' (${JSON.stringify(exemption.reason ?? null)}) ${problem}: say why logs may travel without it`);
      this.tlsExemptions[label] = exemption.reason;
    }
    this.plugin = plugin;
    this.host = options.host;
    this.port = port;
    this.extra = extra;
    this.tls = options.disableTls === undefined;
    this.verify = this.tls && options.skipVerify === undefined;
    this.caFile = options.caFile;
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
        'retry_limit': 'no_limits',
      },
    };
  }
}
