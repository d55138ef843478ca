import { execFileSync } from 'node:child_process';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium, never a downloaded browser; undefined when it is not installed. */
function chromiumPath(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Why browser tests cannot run here, or null when they can. CI sets
 * SESSION_LOG_REQUIRE_BROWSER=1, which turns a missing chromium into a failure.
 */
export function browserUnavailable(): string | null {
  if (chromiumPath() !== undefined) return null;
  if (process.env.SESSION_LOG_REQUIRE_BROWSER === '1') throw new Error('chromium is required (SESSION_LOG_REQUIRE_BROWSER=1) but not installed');
  return 'chromium not installed (apt-get install chromium)';
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
