import { readFileSync } from 'node:fs';
import type pg from 'pg';
import { childrenOf, commandOf, ProcessSampler, type WatchedProcess } from './process-usage.js';
import type { ServiceSetup } from './service-setup.js';

/** Starts sampling the setup's processes: each instance, nginx, PostgreSQL's processes, and this load generator. */
export async function usageOf(setup: ServiceSetup, db: pg.Client | undefined): Promise<ProcessSampler> {
  const watched: WatchedProcess[] = setup.instances.map((instance) => ({ name: instance.name, memory: 'peak', pids: () => [instance.pid()].filter((pid) => pid !== undefined) }));
  const { nginx } = setup;
  if (nginx !== undefined) watched.push({ name: 'nginx', memory: 'peak', pids: () => [nginx.pid] });
  const postgres = db === undefined ? undefined : await postgresOf(db);
  if (postgres !== undefined) watched.push({ name: 'postgresql', memory: 'shared', pids: postgres });
  watched.push({ name: 'load generator', memory: 'peak', pids: () => [process.pid] });
  return new ProcessSampler(watched);
}

/**
 * PostgreSQL's processes that work for this run: the backends of its database (their
 * title names it) and the server's own (checkpointer, writers, parallel workers), not
 * the backends of other databases (other work on the same server). Undefined when the
 * server is not on this machine.
 */
async function postgresOf(db: pg.Client): Promise<(() => number[]) | undefined> {
  const { rows } = await db.query<{ pid: number; database: string }>('SELECT pg_backend_pid() AS pid, current_database() AS database');
  const { pid, database } = rows[0] ?? { pid: 0, database: '' };
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // After the command: state, then the parent's pid, the postmaster.
  const postmaster = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  // A backend's title: "postgres: 15/main: <user> <database> <host>(<port>) <state>".
  const isBackend = (command: string) => /\S+\(\d+\)|\[local\]/.test(command);
  return () => [postmaster, ...childrenOf(postmaster).filter((child) => {
    const command = commandOf(child);
    return !isBackend(command) || command.includes(` ${database} `);
  })];
}
