import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { resolveAdminToken } from '../src/admin-token.js';
import { ConfigError, loadConfig } from '../src/config.js';

await describe('loadConfig', () => {
  it('defaults to SQLite in ./data on 127.0.0.1:3000 with open CORS, trusting no proxy', () => {
    const config = loadConfig({});
    assert.deepEqual(config, {
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: 'sqlite:data/session-log.db',
      dataDir: 'data',
      adminToken: undefined,
      corsOrigins: '*',
      logLevel: 'info',
      statusRules: {},
      trustProxy: false,
      liveMaxConnections: 1000,
      publicUrl: null,
      allowPrivateWebhooks: false,
      retentionDays: 90,
      rateLimits: { ingestPerAddress: 60_000, ingestPerSession: 600, failedSignIns: 10 },
      metricsToken: null,
    });
  });

  it('reads rate limits per minute (0 turns one off) and refuses anything else, naming the variable', () => {
    const config = loadConfig({ RATE_LIMIT_INGEST_PER_IP: '120000', RATE_LIMIT_INGEST_PER_SESSION: '0', RATE_LIMIT_SIGNIN: '5' });
    assert.deepEqual(config.rateLimits, { ingestPerAddress: 120_000, ingestPerSession: 0, failedSignIns: 5 });
    for (const variable of ['RATE_LIMIT_INGEST_PER_IP', 'RATE_LIMIT_INGEST_PER_SESSION', 'RATE_LIMIT_SIGNIN']) {
      for (const bad of ['-1', '1e3', '10/s', 'many']) {
        assert.throws(() => loadConfig({ [variable]: bad }), new RegExp(`^ConfigError: ${variable}: expected a whole number of requests per minute`), `${variable}=${bad}`);
      }
    }
  });

  it('takes a metrics token of at least 16 characters', () => {
    assert.equal(loadConfig({ METRICS_TOKEN: 'prometheus-scrape-token' }).metricsToken, 'prometheus-scrape-token');
    assert.throws(() => loadConfig({ METRICS_TOKEN: 'short' }), /^ConfigError: METRICS_TOKEN: must be at least 16 characters/);
  });

  it('keeps events 90 days by default, forever with RETENTION_DAYS=0, and refuses what is not a whole number of days', () => {
    assert.equal(loadConfig({ RETENTION_DAYS: '0' }).retentionDays, 0);
    assert.equal(loadConfig({ RETENTION_DAYS: '30' }).retentionDays, 30);
    for (const bad of ['-1', '1.5', '90d', 'forever', '99999']) {
      assert.throws(() => loadConfig({ RETENTION_DAYS: bad }), /^ConfigError: RETENTION_DAYS: expected a whole number of days/, bad);
    }
  });

  it('keeps the token beside a custom SQLite file, and in ./data for PostgreSQL', () => {
    assert.equal(loadConfig({ DATABASE_URL: 'sqlite:/var/lib/sl/events.db' }).dataDir, '/var/lib/sl');
    assert.equal(loadConfig({ DATABASE_URL: 'sqlite::memory:' }).dataDir, 'data');
    assert.equal(loadConfig({ DATABASE_URL: 'postgresql://u@db:5432/sl' }).dataDir, 'data');
  });

  it('reads an origin allow-list', () => {
    const config = loadConfig({ CORS_ORIGINS: 'https://a.example.com, http://localhost:5173' });
    assert.deepEqual(config.corsOrigins, ['https://a.example.com', 'http://localhost:5173']);
  });

  it('throws a ConfigError naming the variable', () => {
    assert.throws(() => loadConfig({ CORS_ORIGINS: 'https://a.example.com/path' }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /^CORS_ORIGINS: /);
      return true;
    });
  });

  it('reads which proxies to trust, and names a bad one', () => {
    assert.throws(() => loadConfig({ TRUST_PROXY: 'true' }), /^ConfigError: TRUST_PROXY: "true" is not an address/);
    assert.equal(loadConfig({ TRUST_PROXY: '10.0.0.1, 192.168.0.0/16,::1' }).trustProxy, '10.0.0.1,192.168.0.0/16,::1');
    assert.throws(() => loadConfig({ TRUST_PROXY: 'proxy.internal' }), /^ConfigError: TRUST_PROXY: "proxy.internal" is not/);
    assert.throws(() => loadConfig({ TRUST_PROXY: '10.0.0.0/33' }), /^ConfigError: TRUST_PROXY: "10.0.0.0\/33" is not/);
    assert.equal(loadConfig({ TRUST_PROXY: 'fd00::/8' }).trustProxy, 'fd00::/8');
  });

  it('reads the live and alert settings, and names a bad one', () => {
    const config = loadConfig({ LIVE_MAX_CONNECTIONS: '50', PUBLIC_URL: 'https://logs.example.edu/workshop/', ALERT_WEBHOOK_ALLOW_PRIVATE: 'true' });
    assert.deepEqual([config.liveMaxConnections, config.publicUrl, config.allowPrivateWebhooks], [50, 'https://logs.example.edu/workshop', true]);
    assert.throws(() => loadConfig({ LIVE_MAX_CONNECTIONS: '0' }), /^ConfigError: LIVE_MAX_CONNECTIONS: expected a whole number/);
    assert.throws(() => loadConfig({ PUBLIC_URL: 'logs.example.edu' }), /^ConfigError: PUBLIC_URL: expected the dashboard's address/);
    assert.throws(() => loadConfig({ ALERT_WEBHOOK_ALLOW_PRIVATE: 'yes' }), /^ConfigError: ALERT_WEBHOOK_ALLOW_PRIVATE: expected 1, true, 0 or false/);
  });

  it('reads status rule overrides, and names a bad one', () => {
    assert.deepEqual(loadConfig({ SESSION_LOG_STATUS_RULES: 'stuckMinMinutes=2, idleMinutes=0.5' }).statusRules, { stuckMinMinutes: 2, idleMinutes: 0.5 });
    assert.deepEqual(loadConfig({}).statusRules, {});
    for (const bad of ['idleMinutes=0x10', 'idleMinutes=1=2', 'idleMinutes=1e1', 'idleMinutes=']) {
      assert.throws(() => loadConfig({ SESSION_LOG_STATUS_RULES: bad }), /^ConfigError: SESSION_LOG_STATUS_RULES: idleMinutes /, bad);
    }
    assert.throws(() => loadConfig({ SESSION_LOG_STATUS_RULES: 'bogus=1' }), /^ConfigError: SESSION_LOG_STATUS_RULES: unknown rule "bogus"/);
    assert.throws(() => loadConfig({ SESSION_LOG_STATUS_RULES: 'minSamples=0' }), /SESSION_LOG_STATUS_RULES: minSamples must be >= 1/);
    assert.throws(() => loadConfig({ SESSION_LOG_STATUS_RULES: 'idleMinutes=soon' }), /SESSION_LOG_STATUS_RULES: idleMinutes must be number/);
  });
});

await describe('resolveAdminToken', () => {
  const dataDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'session-log-token-'));

  it('makes a token once, keeps it, and reads it back', () => {
    const dir = dataDir();
    const made = resolveAdminToken(undefined, dir);
    assert.equal(made.generated, true);
    assert.equal((fs.statSync(made.file ?? '').mode & 0o777).toString(8), '600');
    assert.deepEqual(resolveAdminToken(undefined, dir), { ...made, generated: false });
  });

  it('refuses a kept file too short to be a token, naming it', () => {
    for (const content of ['', 'abc\n']) {
      const dir = dataDir();
      fs.writeFileSync(path.join(dir, 'admin-token'), content);
      assert.throws(() => resolveAdminToken(undefined, dir), (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.ok(error.message.startsWith(path.join(dir, 'admin-token')), error.message);
        return true;
      });
    }
  });
});
