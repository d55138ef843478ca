// What the dashboard's browser tests share: a signed-in page, and a class's history.
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';
import type { PastEvent } from '../helpers/insert-at.js';
import { ADMIN_TOKEN, type RunningApp } from '../helpers/test-app.js';

export const STEPS = ['Connect Accounts', 'Choose Use Case', 'Provision Services', 'Build Agent'];

export const minutesAgo = (now: number, minutes: number) => new Date(now - minutes * 60_000);

/** A navigation from step `from` (null: the first) to `to`, stored at `at`. */
export const navigation = (sessionToken: string, from: number | null, to: number, at: Date): PastEvent => ({
  sessionToken,
  eventType: 'navigation',
  eventData: { from, to, toStepName: STEPS[to], currentStep: to, stepName: STEPS[to] },
  at,
});

/** Four students took about 5 minutes on Provision Services and moved on half an hour ago. */
export function classmates(now: number): PastEvent[] {
  return ['ws_ada', 'ws_alan', 'ws_barbara', 'ws_edsger'].flatMap((token, i) => [
    navigation(token, 0, 2, minutesAgo(now, 40)),
    navigation(token, 2, 3, minutesAgo(now, 35 - i)),
  ]);
}

/** Chromium with the dashboard open and signed in, on the class. */
export async function openDashboard(app: RunningApp): Promise<{ browser: Browser; page: Page }> {
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(app.url);
  await page.fill('input[name=token]', ADMIN_TOKEN);
  await page.click('button[type=submit]');
  await page.locator('table.overview').waitFor();
  return { browser, page };
}

/** The header's connection indicator. */
export const connection = (page: Page) => page.locator('header .connection');
