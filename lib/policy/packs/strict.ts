import { Severity } from '../model';
import { DEFAULT_PACK } from './default';
import { Pack } from './pack';

/** Every rule of the default pack, each an error. */
export const STRICT_PACK: Pack = {
  name: 'strict',
  description: 'Every rule as an error: for production namespaces and regulated workloads.',
  rules: Object.fromEntries(Object.keys(DEFAULT_PACK.rules).map(id => [id, Severity.ERROR])),
};
