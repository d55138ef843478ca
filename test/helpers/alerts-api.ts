import type { Alert, AlertRule, Delivery } from '../../src/alerts/alert-schemas.js';
import { ADMIN_TOKEN, type RunningApp } from './test-app.js';

const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** The alerts API as an instructor's script would use it. */
export function alertsApi(app: RunningApp) {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${app.url}${path}`, {
      method,
      headers: body === undefined ? auth : { ...auth, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  return {
    call,
    async createRule(rule: Record<string, unknown>): Promise<{ rule: AlertRule; webhookSecret: string | null }> {
      const { status, body } = await call('POST', '/api/alerts/rules', rule);
      if (status !== 201) throw new Error(`rule refused: ${status} ${JSON.stringify(body)}`);
      return body as unknown as { rule: AlertRule; webhookSecret: string | null };
    },
    async alerts(query = ''): Promise<Alert[]> {
      return (await call('GET', `/api/alerts?limit=500${query}`)).body.alerts as Alert[];
    },
    async deliveries(query = ''): Promise<Delivery[]> {
      return (await call('GET', `/api/alerts/deliveries?${query}`)).body.deliveries as Delivery[];
    },
    /** Polls until `predicate` holds of the alerts (newest first), for at most `timeoutMs`. */
    async waitForAlerts(predicate: (alerts: Alert[]) => boolean, timeoutMs = 15_000): Promise<Alert[]> {
      const started = Date.now();
      for (;;) {
        const alerts = await this.alerts();
        if (predicate(alerts)) return alerts;
        if (Date.now() - started > timeoutMs) throw new Error(`alerts never matched; have ${JSON.stringify(alerts.map((a) => a.summary))}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}
