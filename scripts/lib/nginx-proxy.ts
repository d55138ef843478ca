// nginx in front of instances of the service, configured by deploy/nginx/ itself (the
// documented site with these instances and a loopback listener in place of its TLS
// servers), for the tests and the load test.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A running nginx; stop() ends it and removes its files. */
export interface NginxProxy {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

export interface NginxOptions {
  /** The instances, as 'host:port'. */
  upstreams: readonly string[];
  /** 0 or absent: a free loopback port. */
  port?: number;
  /** Where to write the site's access log (its JSON lines); absent: no access log. */
  accessLog?: string;
}

const DEPLOY_DIR = path.resolve(import.meta.dirname, '../../deploy/nginx');
const SITE = 'session-log.conf';
const PROXY_SNIPPET = 'session-log-proxy.conf';
const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;
/** Another process may take the free port we found before nginx binds it. */
const PORT_ATTEMPTS = 3;

/**
 * Starts nginx as deploy/nginx/session-log.conf configures it, in front of `upstreams`,
 * and resolves once it answers. Killed when this process exits, if not stopped before.
 *
 * @example
 * const proxy = await startNginx({ upstreams: ['127.0.0.1:3001', '127.0.0.1:3002'] });
 * await fetch(`${proxy.url}/healthz`);
 * await proxy.stop();
 */
export async function startNginx(options: NginxOptions): Promise<NginxProxy> {
  const binary = findNginx();
  if (binary === undefined) throw new Error('nginx is not installed (apt-get install nginx)');
  if (options.upstreams.length === 0) throw new Error('startNginx: no upstreams');
  for (let attempt = 1; ; attempt += 1) {
    const port = options.port || (await freePort());
    try {
      return await launch(binary, port, options);
    } catch (error) {
      const portTaken = error instanceof Error && /Address already in use/.test(error.message);
      if (!portTaken || Boolean(options.port) || attempt === PORT_ATTEMPTS) throw error;
    }
  }
}

/** nginx's path: on PATH, or in the sbin folders a user's PATH may lack; undefined if not installed. */
export function findNginx(): string | undefined {
  const folders = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin'];
  return folders.filter((folder) => folder !== '').map((folder) => path.join(folder, 'nginx')).find(isExecutable);
}

/**
 * The site with `upstreams` in place of its upstream's servers (keeping their parameters)
 * and a plain listener on loopback `port` in place of its edge (the redirect and TLS).
 */
function renderSite(site: string, upstreams: readonly string[], port: number, accessLog?: string): string {
  const upstream = /^upstream session_log \{[^}]*\}/m.exec(site)?.[0];
  if (upstream === undefined) throw new Error(`${SITE}: no "upstream session_log { … }" block`);
  let placed = false;
  // The first server line gives its parameters (max_fails…) to all the new ones.
  const servers = upstream.replace(/^([ \t]*)server \S+([^;\n]*);\n/gm, (_line, indent: string, parameters: string) => {
    if (placed) return '';
    placed = true;
    return upstreams.map((address) => `${indent}server ${address}${parameters};\n`).join('');
  });
  if (!placed) throw new Error(`${SITE}: its upstream names no server`);
  const edge = /^# edge: begin\n[\s\S]*?^# edge: end\n/m;
  if (!edge.test(site)) throw new Error(`${SITE}: the "# edge: begin" and "# edge: end" markers are missing`);
  const listener = [
    'server {',
    `    listen 127.0.0.1:${port};`,
    `    access_log ${accessLog === undefined ? 'off' : `${path.resolve(accessLog)} session_log`};`,
    `    include snippets/${PROXY_SNIPPET};`,
    '}',
    '',
  ].join('\n');
  return site.replace(upstream, servers).replace(edge, listener);
}

/** The whole configuration, every file nginx writes inside `dir`. */
function mainConfig(dir: string, site: string): string {
  const temp = (name: string) => `${name}_temp_path ${path.join(dir, `${name}_temp`)};`;
  return [
    '# Written by scripts/lib/nginx-proxy.ts for one run; removed when it stops.',
    // One process, no workers: killing it leaves nothing running, whoever runs it (root
    // included) needs no worker user, and the round-robin is the same for every connection.
    'master_process off;',
    'daemon off;',
    `pid ${path.join(dir, 'nginx.pid')};`,
    `error_log ${path.join(dir, 'error.log')} warn;`,
    // Two connections per proxied request: room for a load test's thousands of live streams.
    'events { worker_connections 8192; }',
    'http {',
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp),
    site,
    '}',
    '',
  ].join('\n');
}

async function launch(binary: string, port: number, options: NginxOptions): Promise<NginxProxy> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'session-log-nginx-'));
  mkdirSync(path.join(dir, 'snippets'));
  copyFileSync(path.join(DEPLOY_DIR, PROXY_SNIPPET), path.join(dir, 'snippets', PROXY_SNIPPET));
  const site = renderSite(readFileSync(path.join(DEPLOY_DIR, SITE), 'utf8'), options.upstreams, port, options.accessLog);
  writeFileSync(path.join(dir, 'nginx.conf'), mainConfig(dir, site));
  const errorLog = path.join(dir, 'error.log');
  const child = spawn(binary, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', errorLog], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  // A proxy its caller forgot must not keep this process alive, nor outlive it.
  child.unref();
  const killOnExit = () => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);
  const stop = async () => {
    await stopChild(child, exited);
    process.off('exit', killOnExit);
    rmSync(dir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  const outcome = await untilAnswering(url, exited);
  if (outcome !== 'answering' || child.pid === undefined) {
    const log = existsSync(errorLog) ? readFileSync(errorLog, 'utf8').trim() : '';
    await stop();
    throw new Error(`nginx did not start (${outcome}): ${log}`);
  }
  return { url, pid: child.pid, stop };
}

/** 'answering' once nginx answers any HTTP request (a 502 too: instances may start later). */
async function untilAnswering(url: string, exited: Promise<void>): Promise<'answering' | 'exited' | 'timed out'> {
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!hasExited && Date.now() < deadline) {
    const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) }).catch(() => null);
    if (response !== null) {
      await response.body?.cancel();
      return 'answering';
    }
    await sleep(50);
  }
  return hasExited ? 'exited' : 'timed out';
}

/** SIGTERM (nginx's fast shutdown: open streams are cut), SIGKILL if it lingers. */
async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no free TCP port');
  return address.port;
}
