// The service under test, on loopback: two instances sharing a fresh PostgreSQL database
// behind nginx (deploy/nginx's site), or one instance on a fresh SQLite file.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../bench/lib/processes.js';
import { startNginx, type NginxProxy } from '../scripts/lib/nginx-proxy.js';
import { serviceInstance, type ServiceInstance } from './instance.js';
import { createRunDatabase } from './postgres-database.js';

/** Any 16+ characters: the instructors' token, the same on every instance. */
export const ADMIN_TOKEN = 'loadtest-instructor-token-0123456789';

export interface ServiceSetup {
  readonly label: string;
  /** Where students and instructors go: nginx, or the one instance. */
  readonly url: string;
  readonly instances: readonly ServiceInstance[];
  readonly nginx: NginxProxy | undefined;
  /** The PostgreSQL database's URL; undefined on SQLite. */
  readonly postgresUrl: string | undefined;
  /** nginx's access log (JSON lines); undefined without nginx. */
  readonly accessLog: string | undefined;
  /** Stops everything it started and removes its database and files, whatever state they are in. */
  close(): Promise<void>;
}

interface Teardown {
  steps: Array<() => Promise<unknown>>;
  /** Runs the steps once; a second caller (a signal during the normal end) waits for the same run. */
  run(): Promise<void>;
}

function teardown(): Teardown {
  const steps: Array<() => Promise<unknown>> = [];
  let running: Promise<void> | undefined;
  return {
    steps,
    run() {
      running ??= (async () => {
        // The last started stops first: nginx, then the instances, then the database and files.
        for (const step of steps.reverse()) await step().catch((error: unknown) => process.stderr.write(`loadtest: cleanup: ${String(error)}\n`));
      })();
      return running;
    },
  };
}

export async function startPostgresSetup(adminUrl: string, root: string, instanceCount = 2): Promise<ServiceSetup> {
  const cleanup = teardown();
  try {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'session-log-loadtest-'));
    cleanup.steps.push(() => rm(dir, { recursive: true, force: true }));
    const database = await createRunDatabase(adminUrl);
    cleanup.steps.push(() => database.drop());
    const instances = await startInstances(instanceCount, database.url, root, cleanup);
    const accessLog = path.join(dir, 'access.log');
    const nginx = await startNginx({ upstreams: instances.map((instance) => `127.0.0.1:${instance.port}`), accessLog });
    cleanup.steps.push(() => nginx.stop());
    return { label: `${instanceCount} instances on PostgreSQL behind nginx`, url: nginx.url, instances, nginx, postgresUrl: database.url, accessLog, close: () => cleanup.run() };
  } catch (error) {
    await cleanup.run();
    throw error;
  }
}

export async function startSqliteSetup(root: string): Promise<ServiceSetup> {
  const cleanup = teardown();
  try {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'session-log-loadtest-'));
    cleanup.steps.push(() => rm(dir, { recursive: true, force: true }));
    const [instance] = await startInstances(1, `sqlite:${path.join(dir, 'events.db')}`, root, cleanup);
    if (instance === undefined) throw new Error('no instance started');
    return { label: '1 instance on SQLite', url: instance.url, instances: [instance], nginx: undefined, postgresUrl: undefined, accessLog: undefined, close: () => cleanup.run() };
  } catch (error) {
    await cleanup.run();
    throw error;
  }
}

async function startInstances(count: number, databaseUrl: string, root: string, cleanup: Teardown): Promise<ServiceInstance[]> {
  const instances: ServiceInstance[] = [];
  for (let index = 0; index < count; index++) {
    const instance = serviceInstance({ name: `instance ${index + 1}`, port: await freePort(), databaseUrl, adminToken: ADMIN_TOKEN, root });
    cleanup.steps.push(() => instance.stop());
    instances.push(instance);
  }
  // One after the other: the first migrates the new database, the others find it done.
  for (const instance of instances) await instance.start();
  return instances;
}
