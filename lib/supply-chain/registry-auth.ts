// Registry credentials for `images refresh`, read the way docker, podman and skopeo store
// them: an auth file (`auths`: base64 "user:password", or username and password) and
// credential helpers (`credHelpers` per registry, `credsStore` for the rest), which are run
// with the docker-credential-helpers protocol: the server on stdin, JSON
// {"Username","Secret"} on stdout.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ioFailure, readSettingsFile } from '../vocab/bounded-read';
import { isObject } from '../vocab/json';

/** A user name and password (or token) for one registry, and where they came from. */
export interface RegistryCredentials {
  readonly username: string;
  readonly password: string;
  /** The file or helper they were read from, for messages (never the secret). */
  readonly source: string;
}

/** Looks up credentials for a registry host; undefined when none are configured. */
export type CredentialLookup = (registry: string) => RegistryCredentials | undefined;

/** Thrown for an auth file or helper that cannot be used, naming it and the fix. */
class RegistryAuthError extends Error {}

/**
 * The auth files consulted when none is given, in order: $REGISTRY_AUTH_FILE (podman and
 * skopeo), $XDG_RUNTIME_DIR/containers/auth.json, then $DOCKER_CONFIG/config.json or
 * ~/.docker/config.json. The first that exists is used.
 */
export function defaultAuthFiles(env: NodeJS.ProcessEnv = process.env): string[] {
  const files: string[] = [];
  if (env.REGISTRY_AUTH_FILE) files.push(env.REGISTRY_AUTH_FILE);
  if (env.XDG_RUNTIME_DIR) files.push(path.join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json'));
  files.push(path.join(env.DOCKER_CONFIG ?? path.join(os.homedir(), '.docker'), 'config.json'));
  return files;
}

/** Docker Hub's credentials are stored under its legacy index URL. */
const DOCKER_HUB_KEYS = ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io'];

/**
 * Credentials from `file` (when given it must exist) or from the first default auth file that
 * exists; a lookup that finds nothing for every registry when no file exists.
 */
export function credentialLookup(file?: string, env: NodeJS.ProcessEnv = process.env): CredentialLookup {
  const chosen = file ?? defaultAuthFiles(env).find(f => fs.existsSync(f));
  if (!chosen) return () => undefined;
  let text: string;
  try {
    text = readSettingsFile(chosen);
  } catch (e) {
    throw new RegistryAuthError(`cannot read the registry auth file ${chosen}: ${ioFailure(e)}`);
  }
  let config: any;
  try {
    config = JSON.parse(text);
  } catch (e) {
    throw new RegistryAuthError(`the registry auth file ${chosen} is not JSON: ${(e as Error).message}`);
  }
  if (!config || typeof config !== 'object' || Array.isArray(config)) {
    throw new RegistryAuthError(`the registry auth file ${chosen} must hold a JSON object with "auths", "credHelpers" or "credsStore"`);
  }
  const auths = isObject(config.auths) ? config.auths : {};
  const helpers = isObject(config.credHelpers) ? config.credHelpers : {};
  const store = typeof config.credsStore === 'string' && config.credsStore !== '' ? config.credsStore : undefined;

  const lookup = (registry: string): RegistryCredentials | undefined => {
    const keys = registry === 'docker.io' ? DOCKER_HUB_KEYS : [registry, `https://${registry}`, `http://${registry}`, `https://${registry}/v1/`,
      `https://${registry}/v2/`];
    const helper = keys.map(k => helpers[k]).find(h => typeof h === 'string' && h !== '');
    if (helper) return fromHelper(helper, keys[0], `credential helper docker-credential-${helper} (credHelpers in ${chosen})`, env);
    for (const key of keys) {
      const entry = auths[key];
      if (isObject(entry)) {
        const found = fromEntry(entry, key, chosen);
        if (found) return found;
      }
    }
    if (store) return fromHelper(store, keys[0], `credential helper docker-credential-${store} (credsStore in ${chosen})`, env);
    return undefined;
  };

  // One answer per registry: a lock lists many images of one registry, and a credential
  // helper is a process to run. Errors are remembered too, and thrown again.
  const answers = new Map<string, RegistryCredentials | undefined | RegistryAuthError>();
  return (registry: string) => {
    if (!answers.has(registry)) {
      try {
        answers.set(registry, lookup(registry));
      } catch (e) {
        answers.set(registry, e instanceof RegistryAuthError ? e : new RegistryAuthError((e as Error).message));
      }
    }
    const answer = answers.get(registry);
    if (answer instanceof RegistryAuthError) throw answer;
    return answer;
  };
}

function fromEntry(entry: any, key: string, file: string): RegistryCredentials | undefined {
  const source = `${file} (auths["${key}"])`;
  if (typeof entry.identitytoken === 'string' && entry.identitytoken !== '') {
    throw new RegistryAuthError(`${source} holds an identity token (OAuth refresh token), which images refresh does not exchange; `
      + `store a user name and password or access token instead (e.g. docker login with a token)`);
  }
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) throw new RegistryAuthError(`${source}: "auth" must be base64 of "user:password"`);
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), source };
  }
  if (typeof entry.username === 'string' && typeof entry.password === 'string') {
    return { username: entry.username, password: entry.password, source };
  }
  return undefined;
}

function fromHelper(helper: string, server: string, source: string, env: NodeJS.ProcessEnv): RegistryCredentials | undefined {
  if (!/^[A-Za-z0-9._-]+$/.test(helper)) throw new RegistryAuthError(`${source}: "${helper}" is not a credential helper name`);
  let output: string;
  try {
    output = execFileSync(`docker-credential-${helper}`, ['get'],
      { input: server, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], timeout: 30_000, env });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    if (err.code === 'ENOENT') throw new RegistryAuthError(`${source} is not installed (docker-credential-${helper} is not on PATH)`);
    const said = `${err.stdout ?? ''}${err.stderr ?? ''}`.trim();
    // Helpers answer "credentials not found in native keychain" when they hold nothing for the server.
    if (/not found/i.test(said)) return undefined;
    throw new RegistryAuthError(`${source} failed for ${server}: ${said || err.message}`);
  }
  let answer: any;
  try {
    answer = JSON.parse(output);
  } catch {
    throw new RegistryAuthError(`${source} answered for ${server} with something that is not JSON`);
  }
  if (typeof answer?.Username !== 'string' || typeof answer?.Secret !== 'string') {
    throw new RegistryAuthError(`${source} answered for ${server} without "Username" and "Secret"`);
  }
  return { username: answer.Username, password: answer.Secret, source };
}

/** The Basic authorization header value for `credentials`. */
export function basicAuthorization(credentials: RegistryCredentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}
