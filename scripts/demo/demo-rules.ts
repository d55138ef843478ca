// The alert rules the demo starts with, made through the API as an instructor would.
import { TWILIO_DEPLOY_ERROR_TYPE } from './student.js';

const RULES = [
  { name: 'Stuck or asking for help', kind: 'stuck' },
  {
    name: 'Twilio deploys failing for the class',
    kind: 'class_wide',
    filters: { eventType: 'error', 'data.errorType': TWILIO_DEPLOY_ERROR_TYPE },
    minEvents: 3,
    minStudents: 3,
    windowMinutes: 5,
  },
];

/** Creates the demo's rules on the service at `baseUrl`. */
export async function createDemoRules(baseUrl: string, adminToken: string): Promise<void> {
  for (const rule of RULES) {
    const response = await fetch(`${baseUrl}/api/alerts/rules`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(rule),
    });
    if (response.status !== 201) throw new Error(`the demo's rule "${rule.name}" was refused: ${await response.text()}`);
  }
}
