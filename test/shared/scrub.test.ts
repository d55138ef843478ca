// The one rule set for secrets, as the service runs it (the SDK's Chromium tests cover the browser side).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REDACTED, scrub, scrubText } from '@session-log/browser/scrub';

describe('secret scrubbing rules', () => {
  for (const [what, text, expected] of [
    ['an OpenAI key', 'key sk-abcdefghijklmnopqrstuvwx used', `key ${REDACTED} used`],
    ['an OpenAI project key', 'sk-proj-AbCd_EfGh-IjKlMnOpQrSt', REDACTED],
    ['a bearer token', 'Authorization: Bearer abc.def-ghi_jkl', `Authorization: Bearer ${REDACTED}`],
    ['basic credentials', 'basic dXNlcjpwYXNzd29yZA==', `basic ${REDACTED}`],
    ['a JWT', 'jwt=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc-def', `jwt=${REDACTED}`],
    ['a JWT on a line of its own', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc-def\nnext', `${REDACTED}\nnext`],
    ['a Twilio SID with its auth token', 'AC0123456789abcdef0123456789abcdef:0123456789abcdef0123456789abcdef', `AC0123456789abcdef0123456789abcdef:${REDACTED}`],
  ] as const) {
    it(`replaces ${what}, and scrubbing again changes nothing`, () => {
      assert.equal(scrubText(text), expected);
      assert.equal(scrubText(expected), expected);
    });
  }

  for (const text of [
    'sk-proj-****abcd',
    'task-0123456789abcdefghij',
    'Bearer',
    'Basic Configuration',
    'the bearer of bad news',
    'a Twilio SID alone: AC0123456789abcdef0123456789abcdef',
    'ws_0123456789abcdef',
    // One long run of token characters holding "eyJ" many times, but no JWT: read once
    // from where the run starts (trying each "eyJ" to the run's end was quadratic).
    'eyJ-'.repeat(15_000),
  ]) {
    it(`leaves "${text.slice(0, 40)}" alone`, () => assert.equal(scrubText(text), text));
  }

  it('replaces the values of fields named like secrets, at any depth, whatever they hold', () => {
    const data = {
      password: 'x',
      nested: { apiKey: { deep: 1 }, 'X-Api-Key': 'y', client_secret: 's', accessToken: 't', apiToken: 'u', passphrase: 'p', pwd: 'w' },
      headers: { 'set-cookie': 'c', 'proxy-authorization': 'a' },
      sessionToken: 'ws_1',
      tokens: 3,
    };
    assert.deepEqual(scrub(data), {
      password: REDACTED,
      nested: { apiKey: REDACTED, 'X-Api-Key': REDACTED, client_secret: REDACTED, accessToken: REDACTED, apiToken: REDACTED, passphrase: REDACTED, pwd: REDACTED },
      headers: { 'set-cookie': REDACTED, 'proxy-authorization': REDACTED },
      sessionToken: 'ws_1',
      tokens: 3,
    });
  });

  it('returns the value itself when there is nothing to scrub, and never changes its input', () => {
    const clean = { a: [1, 'two', { b: null }], c: true };
    assert.equal(scrub(clean), clean);
    const dirty = { list: ['Bearer abcdef.ghijkl'] };
    assert.deepEqual(scrub(dirty), { list: [`Bearer ${REDACTED}`] });
    assert.deepEqual(dirty, { list: ['Bearer abcdef.ghijkl'] });
  });

  it('keeps a "__proto__" key as data in the copy', () => {
    const data = JSON.parse('{"__proto__":{"password":"p"}}') as object;
    assert.equal(JSON.stringify(scrub(data)), '{"__proto__":{"password":"[redacted]"}}');
  });
});
