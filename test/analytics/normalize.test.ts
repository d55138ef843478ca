// The normalisation that makes one bug one row, on the spec's messages and their variants.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeMessage, normalizePath } from '../../src/analytics/normalize.js';
import { problemFact } from '../../src/analytics/problem-facts.js';

describe('normalizeMessage', () => {
  it('keeps the spec’s messages, which hold nothing variable, as they are', () => {
    assert.equal(normalizeMessage('Incorrect API key provided'), 'Incorrect API key provided');
    assert.equal(normalizeMessage('Twilio account not authorized for Functions'), 'Twilio account not authorized for Functions');
  });

  it('groups messages that differ only in keys, ids, numbers, emails, UUIDs and hex', () => {
    const variants: Array<[string, string, string]> = [
      [
        'Incorrect API key provided: sk-proj-AbC123xyz***************wxyz. You can find your API key at https://platform.openai.com/account/api-keys.',
        'Incorrect API key provided: sk-proj-Zz9876qq***************abcd. You can find your API key at https://platform.openai.com/account/api-keys.',
        'Incorrect API key provided: <key>. You can find your API key at https://platform.openai.com/account/api-keys.',
      ],
      [
        'Twilio account AC0123456789abcdef0123456789abcdef not authorized for Functions',
        'Twilio account ACfedcba9876543210fedcba9876543210 not authorized for Functions',
        'Twilio account <key> not authorized for Functions',
      ],
      ['Request timed out after 30000ms (request id req_8f2k3x9)', 'Request timed out after 45000ms (request id req_77ab12c)', 'Request timed out after <n>ms (request id <id>)'],
      ['No session for ada@example.com in ws_1700000001', 'No session for grace@example.org in ws_1700000042', 'No session for <email> in <id>'],
      ['User 550e8400-e29b-41d4-a716-446655440000 not found', 'User 123e4567-e89b-12d3-a456-426614174000 not found', 'User <uuid> not found'],
      ['Build deadbeef01 failed at 0x1f3a', 'Build 0badc0de99 failed at 0xff00', 'Build <hex> failed at <hex>'],
      ['GET https://api.example.com/v1/users/12345/keys?limit=10 failed', 'GET https://api.example.com/v1/users/67890/keys?limit=20 failed', 'GET https://api.example.com/v1/users/<id>/keys?<query> failed'],
    ];
    for (const [first, second, pattern] of variants) {
      assert.equal(normalizeMessage(first), pattern);
      assert.equal(normalizeMessage(second), pattern);
    }
  });

  it('keeps names that merely contain a digit apart from ids', () => {
    assert.equal(normalizeMessage('Model gpt-4o does not exist'), 'Model gpt-<n>o does not exist');
    assert.notEqual(normalizeMessage('Model gpt-4o does not exist'), normalizeMessage('Model claude does not exist'));
  });

  it('reads only a message’s first 2,000 characters, whatever a client sends', () => {
    // What a client could send to make pattern matching slow: long runs of what the rules look for.
    const runs = ['1-', 'a-', 'a.', 'a@', 'aB3-'].map((unit) => unit.repeat(50_000));
    for (const run of runs) assert.equal(normalizeMessage(`${run}x`), normalizeMessage(`${run}y`), 'what lies past the start changes nothing');
  });

  it('collapses whitespace and bounds the length', () => {
    assert.equal(normalizeMessage('  a \n\t b  '), 'a b');
    assert.equal(normalizeMessage('word '.repeat(200)).length, 300);
  });
});

describe('normalizePath', () => {
  it('replaces ids in path segments and drops the query', () => {
    assert.equal(normalizePath('/v1/users/12345/keys?x=1#top'), '/v1/users/<id>/keys');
    assert.equal(normalizePath('/v1/models'), '/v1/models');
    assert.equal(normalizePath('/v1/models/gpt-4o'), '/v1/models/gpt-4o');
    assert.equal(
      normalizePath('https://API.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Calls.json'),
      'https://api.twilio.com/<id>/Accounts/<id>/Calls.json',
    );
  });
});

describe('problemFact', () => {
  it('reads the spec’s error and api_call fields', () => {
    assert.deepEqual(
      problemFact('error', { errorType: 'openai_validation_failed', errorMessage: 'Incorrect API key provided', statusCode: 401, currentStep: 0, stepName: 'Connect Accounts' }),
      { kind: 'error', label: 'openai_validation_failed', pattern: 'Incorrect API key provided', status: 401, step: '0', stepName: 'Connect Accounts' },
    );
    assert.deepEqual(problemFact('api_call', { endpoint: '/v1/users/42', method: 'post', status: 401, success: false, currentStep: 1 }), {
      kind: 'api_call',
      label: 'POST',
      pattern: '/v1/users/<id>',
      status: 401,
      step: '1',
      stepName: null,
    });
  });

  it('leaves successful calls and other events alone', () => {
    assert.equal(problemFact('api_call', { endpoint: '/v1/models', method: 'GET', status: 200, success: true }), null);
    assert.equal(problemFact('navigation', { from: 1, to: 2 }), null);
    assert.equal(problemFact('api_call', { endpoint: '/v1/models', success: false })?.status, null);
  });
});
