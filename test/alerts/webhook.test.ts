// Alert webhooks: which URLs are accepted, which targets are refused, and what one real
// HTTP exchange with a receiver on loopback looks like. No mocks: real DNS (for
// `localhost`), real sockets.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { sendWebhook, signBody, type WebhookRequest } from '../../src/alerts/webhook-sender.js';
import { checkWebhookUrl, resolveWebhookTarget, WebhookTargetError } from '../../src/alerts/webhook-url.js';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

interface Received {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A webhook receiver on loopback that records what reaches it; `handle` answers. */
class Receiver {
  readonly seen: Received[] = [];
  handle: Handler = (_request, response) => response.end('ok');
  ipv6 = true;
  private readonly server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      this.seen.push({ method: request.method, url: request.url, headers: request.headers, body: Buffer.concat(chunks) });
      this.handle(request, response);
    });
  });

  /** Listens on both loopbacks (dual-stack `::`) where the machine has IPv6, else on 127.0.0.1. */
  async start(): Promise<void> {
    try {
      await this.listen('::');
    } catch {
      this.ipv6 = false;
      await this.listen('127.0.0.1');
    }
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private listen(host: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, host, () => resolve());
    });
  }
}

const SECRET = 'whsec_0123456789abcdef';
const allowLoopback = { timeoutMs: 5000, allowPrivate: true };

function webhook(url: string, body = '{"text":"3 students stuck"}'): WebhookRequest {
  return { url, body, secret: SECRET, deliveryId: 'dlv_01' };
}

describe('checkWebhookUrl', () => {
  for (const url of ['https://hooks.slack.com/services/T000/B000/XXXX', 'http://example.com:8080/hook?team=a#frag', `https://example.com/${'a'.repeat(2028)}`]) {
    it(`accepts ${url.slice(0, 50)}`, () => assert.equal(checkWebhookUrl(url), null));
  }

  for (const [url, message] of [
    ['', 'must be an absolute http:// or https:// URL'],
    ['hooks.slack.com/services/T000', 'must be an absolute http:// or https:// URL'],
    ['/hook', 'must be an absolute http:// or https:// URL'],
    ['ftp://example.com/', 'must be an absolute http:// or https:// URL'],
    ['javascript:alert(1)', 'must be an absolute http:// or https:// URL'],
    ['http:/example.com/', 'must be an absolute http:// or https:// URL'],
    ['http:///example.com/', 'must have a host'],
    ['https://', 'must be a valid URL'],
    ['https://user:pass@example.com/', 'must not contain credentials (user:password@)'],
    ['https://user@example.com/', 'must not contain credentials (user:password@)'],
    [' https://example.com/', 'must not contain spaces or control characters'],
    ['https://exa\nmple.com/', 'must not contain spaces or control characters'],
    [`https://example.com/${'a'.repeat(2029)}`, 'must be at most 2048 characters'],
  ] as const) {
    it(`refuses ${JSON.stringify(url.slice(0, 40))}: ${message}`, () => assert.equal(checkWebhookUrl(url), message));
  }
});

describe('resolveWebhookTarget', () => {
  for (const [url, kind] of [
    ['http://localhost/', 'loopback'],
    ['http://127.0.0.1/', 'loopback'],
    ['http://[::1]/', 'loopback'],
    ['http://[::ffff:127.0.0.1]/', 'loopback'],
    ['http://0x7f000001/', 'loopback'],
    ['http://2130706433/', 'loopback'],
    ['http://0177.0.0.1/', 'loopback'],
    ['http://10.0.0.5/', 'private'],
    ['http://172.16.3.4/', 'private'],
    ['http://192.168.1.1/', 'private'],
    ['http://[fd12:3456::1]/', 'private'],
    ['http://169.254.169.254/latest/meta-data/', 'link-local'],
    ['http://[::ffff:169.254.169.254]/', 'link-local'],
    ['http://[fe80::1]/', 'link-local'],
    ['http://0.0.0.0/', 'unspecified'],
    ['http://[::]/', 'unspecified'],
    ['http://255.255.255.255/', 'broadcast'],
    ['http://224.0.0.1/', 'multicast'],
    ['http://100.64.0.1/', 'carrier-grade NAT'],
    ['http://192.0.2.1/', 'reserved'],
    ['http://240.0.0.1/', 'reserved'],
    ['http://[64:ff9b::a00:5]/', 'reserved'],
    ['http://[::7f00:1]/', 'IPv4-compatible'],
  ] as const) {
    it(`refuses ${url} (${kind})`, async () => {
      await assert.rejects(resolveWebhookTarget(url, { allowPrivate: false }), (error: unknown) => {
        assert.ok(error instanceof WebhookTargetError);
        assert.match(error.message, new RegExp(`^webhook host resolves to an? ${kind} address \\(.+\\)$`));
        return true;
      });
    });
  }

  it('names the address in its message', async () => {
    await assert.rejects(resolveWebhookTarget('https://10.0.0.5/hook', { allowPrivate: false }), {
      name: 'WebhookTargetError',
      message: 'webhook host resolves to a private address (10.0.0.5)',
    });
  });

  it('accepts public addresses, and private ones when allowed', async () => {
    await resolveWebhookTarget('https://8.8.8.8/hook', { allowPrivate: false });
    await resolveWebhookTarget('https://[2606:4700:4700::1111]/hook', { allowPrivate: false });
    await resolveWebhookTarget('http://localhost:3000/hook', { allowPrivate: true });
    await resolveWebhookTarget('http://10.0.0.5/hook', { allowPrivate: true });
  });

  it('refuses a host that does not resolve, and a bad URL, even when private targets are allowed', async () => {
    const refused = { name: 'WebhookTargetError', message: 'webhook host does not resolve (no-such-host.invalid)' };
    await assert.rejects(resolveWebhookTarget('https://no-such-host.invalid/', { allowPrivate: true }), refused);
    await assert.rejects(resolveWebhookTarget('ftp://example.com/', { allowPrivate: true }), WebhookTargetError);
  });
});

describe('signBody', () => {
  it('signs like GitHub (their documented example)', () => {
    assert.equal(signBody("It's a Secret to Everybody", 'Hello, World!'), 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17');
  });
});

describe('sendWebhook', () => {
  const receiver = new Receiver();
  before(() => receiver.start());
  after(() => receiver.stop());
  beforeEach(() => {
    receiver.seen.length = 0;
    receiver.handle = (_request, response) => response.end('ok');
  });
  const at = (path = '/hook'): string => `http://127.0.0.1:${receiver.port}${path}`;

  it('POSTs the body, signed, with the delivery id, and reports 2xx as ok', async () => {
    const body = '{"text":"Zoë is stuck on step 3 ✓"}';
    const result = await sendWebhook(webhook(at('/hook?team=a'), body), allowLoopback);
    assert.deepEqual(result, { ok: true, status: 200, error: null });
    assert.equal(receiver.seen.length, 1);
    const [seen] = receiver.seen;
    assert.ok(seen);
    assert.equal(seen.method, 'POST');
    assert.equal(seen.url, '/hook?team=a');
    assert.equal(seen.body.toString('utf8'), body);
    const expected = `sha256=${createHmac('sha256', SECRET).update(seen.body).digest('hex')}`;
    assert.equal(seen.headers['x-session-log-signature-256'], expected);
    assert.equal(seen.headers['x-session-log-delivery'], 'dlv_01');
    assert.equal(seen.headers['content-type'], 'application/json');
    assert.equal(seen.headers['user-agent'], 'session-log');
    assert.ok(!JSON.stringify(seen.headers).includes(SECRET), 'the secret never leaves in a header');
  });

  it('reports a 500 as a failure with its status', async () => {
    receiver.handle = (_request, response) => response.writeHead(500).end('boom');
    assert.deepEqual(await sendWebhook(webhook(at()), allowLoopback), { ok: false, status: 500, error: 'HTTP 500' });
  });

  it('does not follow a redirect', async () => {
    receiver.handle = (_request, response) => response.writeHead(302, { location: at('/elsewhere') }).end();
    const result = await sendWebhook(webhook(at()), allowLoopback);
    assert.deepEqual(result, { ok: false, status: 302, error: 'HTTP 302 (redirects are not followed)' });
    assert.deepEqual(receiver.seen.map((seen) => seen.url), ['/hook']);
  });

  it('times out when the receiver never answers', async () => {
    receiver.handle = () => {};
    const result = await sendWebhook(webhook(at()), { timeoutMs: 300, allowPrivate: true });
    assert.deepEqual(result, { ok: false, status: null, error: 'timed out after 300 ms' });
  });

  it('reads no more than 64 KB of an endless answer', async () => {
    receiver.handle = (_request, response) => {
      const chunk = Buffer.alloc(16 * 1024, 'x');
      const pump = (): void => {
        while (!response.destroyed && response.write(chunk));
        if (!response.destroyed) response.once('drain', pump);
      };
      response.writeHead(200);
      pump();
    };
    // Were the answer read to its end, this would be a timeout instead.
    assert.deepEqual(await sendWebhook(webhook(at()), allowLoopback), { ok: true, status: 200, error: null });
  });

  it('reports a port with nothing listening as connection refused', async () => {
    const closed = new Receiver();
    await closed.start();
    const port = closed.port;
    await closed.stop();
    const result = await sendWebhook(webhook(`http://127.0.0.1:${port}/`), allowLoopback);
    assert.deepEqual(result, { ok: false, status: null, error: 'connection refused' });
  });

  it('turns a bad URL or a bad delivery id into a result, never a throw', async () => {
    assert.deepEqual(await sendWebhook(webhook('ftp://example.com/'), allowLoopback), {
      ok: false,
      status: null,
      error: 'webhook URL must be an absolute http:// or https:// URL',
    });
    const result = await sendWebhook({ ...webhook(at()), deliveryId: 'a\r\nx-injected: 1' }, allowLoopback);
    assert.deepEqual(result, { ok: false, status: null, error: 'invalid request header' });
    assert.equal(receiver.seen.length, 0);
  });

  describe('never reaches a forbidden address unless allowed', () => {
    const loopbackForms = (): string[] => [
      `http://localhost:${receiver.port}/`, // a name: refused by the connection's own lookup
      `http://127.0.0.1:${receiver.port}/`,
      `http://[::ffff:127.0.0.1]:${receiver.port}/`,
      `http://0x7f000001:${receiver.port}/`,
      `http://2130706433:${receiver.port}/`,
      ...(receiver.ipv6 ? [`http://[::1]:${receiver.port}/`] : []),
    ];

    it('refuses every form of the loopback receiver, and reaches each when allowed', async () => {
      for (const url of loopbackForms()) {
        receiver.seen.length = 0;
        const refused = await sendWebhook(webhook(url), { timeoutMs: 5000, allowPrivate: false });
        assert.equal(refused.ok, false, url);
        assert.equal(refused.status, null, url);
        assert.match(refused.error ?? '', /^webhook host resolves to a loopback address \(.+\)$/, url);
        assert.equal(receiver.seen.length, 0, `${url} reached the receiver`);
        assert.deepEqual(await sendWebhook(webhook(url), allowLoopback), { ok: true, status: 200, error: null }, url);
        assert.equal(receiver.seen.length, 1, url);
      }
    });

    it('does not reuse a connection opened while private targets were allowed', async () => {
      const url = `http://localhost:${receiver.port}/`;
      assert.equal((await sendWebhook(webhook(url), allowLoopback)).ok, true);
      const refused = await sendWebhook(webhook(url), { timeoutMs: 5000, allowPrivate: false });
      assert.equal(refused.ok, false);
      assert.equal(receiver.seen.length, 1, 'only the allowed call arrived');
    });

    for (const [host, kind] of [
      ['10.0.0.5', 'private'],
      ['192.168.1.1', 'private'],
      ['169.254.169.254', 'link-local'],
    ] as const) {
      it(`refuses ${host} without connecting`, async () => {
        const result = await sendWebhook(webhook(`http://${host}/hook`), { timeoutMs: 5000, allowPrivate: false });
        assert.deepEqual(result, { ok: false, status: null, error: `webhook host resolves to a ${kind} address (${host})` });
      });
    }
  });
});
