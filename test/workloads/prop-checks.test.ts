// The workload's prop checks are pure: they return the problem (the coordinator throws it) and
// read only what they are given, so they can be called on plain data.
import { synthProblems, writablePathProblem } from '../../lib/workloads/prop-checks';

const NONE = { podWide: new Map<string, string>(), containerWritable: new Map() };

test('a writable path problem is returned, not thrown, and names what is already mounted there', () => {
  expect(writablePathProblem({ path: '/tmp/', sizeLimit: '1Mi' }, 'writablePaths[0]', NONE)).toBeUndefined();
  const mounted = { podWide: new Map([['/tmp', 'a writable path']]), containerWritable: new Map([['a', [{ path: '/cache', sizeLimit: '1Mi' }]]]) };
  expect(writablePathProblem({ path: '/tmp/', sizeLimit: '1Mi' }, 'writablePaths[0]', mounted))
    .toBe(`'writablePaths[0].path' ("/tmp") collides with a writable path mounted there; choose another path`);
  expect(writablePathProblem({ path: '/cache', sizeLimit: '1Mi' }, 'writablePaths[1]', mounted))
    .toBe(`'writablePaths[1].path' ("/cache") collides with a container's writable path mounted there; choose another path`);
  expect(writablePathProblem({ path: '/x', sizeLimit: '0' }, 'writablePath', mounted)).toBe(`'writablePath.sizeLimit' (0) must be larger than 0`);
});

test('the synth-time problems are listed in order: named containers, tolerations, then mounts', () => {
  const problems = synthProblems({
    podWide: new Map([['/run/secrets/db', 'secret "db"']]),
    containerWritable: new Map([['main', [{ path: '/cache', sizeLimit: '1Mi' }]]]),
    containerNames: new Set(['main']),
    namedContainers: [{ prop: 'SecretMount "db".containers', names: ['main', 'web'] }, { prop: 'kubernetesApiAccess.containers' }],
    poolName: 'apps',
    tolerations: [{ key: 'gpu', value: 'yes', effect: 'NoSchedule' }, { operator: 'Exists' }],
    containers: [{
      name: 'main',
      mounts: [
        { path: '/run/secrets/db/', volume: { name: 'v1' } }, { path: '/cache', volume: { name: 'v2' } }, { path: 'rel', volume: { name: 'v3' } },
      ],
    }],
  });
  expect(problems).toEqual([
    `'SecretMount "db".containers' names container "web", which this workload does not have (it has main)`,
    'the workload runs on node pool "apps" and may tolerate only its taint, but also tolerates gpu=yes:NoSchedule, *=:*; '
      + 'remove the other tolerations',
    'container "main" mounts volume "v1" at /run/secrets/db/, where secret "db" is mounted; choose another path',
    'container "main" mounts volume "v2" at /cache, where a writable path is mounted; choose another path',
    `container "main" mounts volume "v3": 'path' ("rel") must be an absolute path such as "/var/cache/app"`,
  ]);
  expect(synthProblems({ ...NONE, containerNames: new Set(['main']), namedContainers: [], tolerations: [{ key: 'gpu' }], containers: [] }))
    .toEqual([]);
});
