// Where an alert webhook may point. Instructors type these URLs, and the service then
// POSTs to them from inside its own network: without these checks a webhook is a way
// to make the server call its loopback, the private network or the cloud metadata
// address (server-side request forgery).
import { promises as dns, type LookupAddress } from 'node:dns';
import ipaddr from 'ipaddr.js';

const MAX_URL_LENGTH = 2048;

/**
 * A webhook target the service refuses to call: a forbidden address, or a host that
 * does not resolve. `message` is written for the instructor who entered the URL.
 *
 * @example throw new WebhookTargetError('webhook host resolves to a private address (10.0.0.5)')
 */
export class WebhookTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookTargetError';
  }
}

/**
 * The syntactic check for a webhook URL, as request validation runs it: `null` when
 * acceptable, else a short message. It says nothing about where the host points
 * (see `resolveWebhookTarget`).
 *
 * @example checkWebhookUrl('ftp://example.com/') // 'must use http or https'
 */
export function checkWebhookUrl(url: string): string | null {
  if (url.length > MAX_URL_LENGTH) return `must be at most ${MAX_URL_LENGTH} characters`;
  // WHATWG URL silently drops tabs and newlines and trims spaces: refuse them rather
  // than store a URL that differs from the one that will be called.
  if (/[\s\p{Cc}]/u.test(url)) return 'must not contain spaces or control characters';
  // WHATWG URL also accepts "http:/host" and "http:///host" and takes the host from
  // what follows; require the plain "scheme://host" form people mean.
  if (!/^https?:\/\//i.test(url)) return 'must be an absolute http:// or https:// URL';
  if (/^https?:\/\/[/\\]/i.test(url)) return 'must have a host';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be a valid URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'must use http or https';
  if (parsed.username !== '' || parsed.password !== '') return 'must not contain credentials (user:password@)';
  if (parsed.hostname === '') return 'must have a host';
  return null;
}

/**
 * Resolves the webhook URL's host and throws a `WebhookTargetError` if it does not
 * resolve, or (unless `allowPrivate`) if any address it resolves to is not a public
 * unicast address. Literal IP hosts are checked as written (after WHATWG normalisation,
 * which turns `0x7f000001` and `2130706433` into `127.0.0.1`).
 *
 * A check before sending cannot stop DNS rebinding on its own: `sendWebhook` checks the
 * address it connects to as well. This one gives the instructor an early, clear answer.
 *
 * @example await resolveWebhookTarget('https://hooks.slack.com/services/T/B/X', { allowPrivate: false })
 */
export async function resolveWebhookTarget(url: string, options: { allowPrivate: boolean }): Promise<void> {
  const problem = checkWebhookUrl(url);
  if (problem !== null) throw new WebhookTargetError(`webhook URL ${problem}`);
  await resolveAllowedAddresses(hostOf(new URL(url)), options);
}

/**
 * Resolves `host` (a name or a literal IP) to every address it has and returns them,
 * having checked each one: the building block of both the early check and the sender's
 * connection-time lookup, so both refuse exactly the same addresses.
 *
 * @example const [first] = await resolveAllowedAddresses('example.com', { allowPrivate: false })
 */
export async function resolveAllowedAddresses(
  host: string,
  options: { allowPrivate: boolean; family?: 0 | 4 | 6 },
): Promise<LookupAddress[]> {
  const addresses = await lookupAll(host, options.family ?? 0);
  if (!options.allowPrivate) {
    // ANY, not the first: with several records the connection may try each in turn,
    // and a name with one public and one private record must not slip through.
    for (const { address } of addresses) {
      const kind = forbiddenKind(address);
      if (kind !== null) throw new WebhookTargetError(`webhook host resolves to ${kind} address (${address})`);
    }
  }
  return addresses;
}

/** The host as `dns.lookup` wants it: WHATWG keeps IPv6 literals in brackets. */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

async function lookupAll(host: string, family: 0 | 4 | 6): Promise<LookupAddress[]> {
  let addresses: LookupAddress[];
  try {
    addresses = await dns.lookup(host, { all: true, family });
  } catch {
    // ENOTFOUND, EAI_AGAIN, …: the instructor needs "it does not resolve", not the code.
    throw new WebhookTargetError(`webhook host does not resolve (${host})`);
  }
  if (addresses.length === 0) throw new WebhookTargetError(`webhook host does not resolve (${host})`);
  return addresses;
}

// IPv4-compatible IPv6 (::a.b.c.d, deprecated by RFC 4291): ipaddr.js calls it unicast,
// but some stacks still route it to the embedded IPv4 address.
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96');

/** How the addresses in a named range are described to the instructor ("a private address"). */
const RANGE_WORDS: Readonly<Record<string, string>> = {
  loopback: 'a loopback',
  private: 'a private',
  uniqueLocal: 'a private',
  linkLocal: 'a link-local',
  unspecified: 'an unspecified',
  broadcast: 'a broadcast',
  multicast: 'a multicast',
  carrierGradeNat: 'a carrier-grade NAT',
};

/**
 * `null` for a public unicast address, else how to describe it ("a loopback"). An
 * allow-list (only ipaddr.js's `unicast` passes) rather than a deny-list, so ranges we
 * did not think of (NAT64, 6to4, Teredo, documentation, reserved) are refused too.
 */
function forbiddenKind(address: string): string | null {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    // process() turns ::ffff:a.b.c.d into a.b.c.d, so a mapped address gets its IPv4 range.
    parsed = ipaddr.process(address);
  } catch {
    return 'an unrecognised';
  }
  const range = parsed.range();
  if (range !== 'unicast') return RANGE_WORDS[range] ?? 'a reserved';
  if (parsed.kind() === 'ipv6' && parsed.match(IPV4_COMPATIBLE)) return 'an IPv4-compatible';
  return null;
}
