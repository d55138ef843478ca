import { randomBytes } from 'node:crypto';
import type { Random } from './random.js';

/** What a simulated student does in the workshop. */
export type StudentRole =
  /** Works through every step at their own pace. */
  | 'progressing'
  /** Like `progressing`, without ever giving an email: an anonymous session. */
  | 'anonymous'
  /** Pastes a wrong OpenAI key on step 0 (401 `openai_validation_failed`), retries, fixes it after ~90 s. */
  | 'openai_key_invalid'
  /** Blocked on step 2 by `twilio_function_deploy_failed` (403); retries and never gets past it. */
  | 'twilio_deploy_forbidden'
  /** Stops sending anything once on step 1 (closed the laptop). */
  | 'goes_idle'
  /** Sends a `help_request` on step 3 and stays there. */
  | 'asks_for_help'
  /** Progresses, but an error on step 1 echoes their input, HTML included (checks text-only rendering). */
  | 'markup_in_error';

export interface SimulatedStudent {
  readonly name: string;
  /** Absent for the anonymous student. */
  readonly email?: string;
  readonly sessionToken: string;
  readonly role: StudentRole;
}

/** A class of 40 students, as diverse as a real online workshop. */
const NAMES = [
  'Amara Okafor', "Liam O'Brien", 'Priya Raman', 'Mateo García', 'Yuki Tanaka', 'Fatima Al-Sayed', 'Noah Schmidt', 'Chloé Dubois',
  'Kwame Mensah', 'Sofia Rossi', 'Arjun Mehta', 'Ingrid Johansson', 'Wei Zhang', 'Olivia Bennett', 'Diego Hernández', 'Aisha Bello',
  'Lucas Silva', 'Hana Kim', 'Ethan Walker', 'Zanele Dlamini', 'Mohammed Haddad', 'Emma Lindqvist', 'Ravi Patel', 'Camila Torres',
  'Jonas Becker', 'Mei Lin Chen', 'Tomás Novák', 'Grace Adeyemi', 'Daniel Cohen', 'Leila Karimi', 'Oscar Nilsson', 'Nadia Petrova',
  'Samuel Osei', 'Ana Pereira', 'Kenji Watanabe', 'Isabella Moreno', 'Thabo Nkosi', 'Sarah Goldberg', 'Minh Nguyen', 'Elif Yıldız',
] as const;

/** 40 roles: the few the instructor must notice, among a class that simply progresses. */
const SPECIAL_ROLES: readonly StudentRole[] = [
  'openai_key_invalid', 'openai_key_invalid', 'openai_key_invalid',
  'twilio_deploy_forbidden', 'twilio_deploy_forbidden', 'twilio_deploy_forbidden',
  'goes_idle', 'goes_idle',
  'asks_for_help',
  'anonymous',
  'markup_in_error',
];

const EMAIL_DOMAIN = 'workshop.example.edu';

/**
 * The class: who is who is decided by `random` (the seed), session tokens are new each run.
 * Past 40 students the names come round again, each with an email of their own, and every
 * 40 students share the 40 roles above, so a larger class has the same mix.
 */
export function createRoster(random: Random, size: number = NAMES.length): SimulatedStudent[] {
  const forty = [...SPECIAL_ROLES, ...Array<StudentRole>(NAMES.length - SPECIAL_ROLES.length).fill('progressing')];
  const roles = random.shuffle(Array.from({ length: size }, (_, index) => forty[index % forty.length] ?? 'progressing'));
  return roles.map((role, index) => {
    const name = NAMES[index % NAMES.length] ?? 'Student';
    const sessionToken = `ws_${randomBytes(16).toString('hex')}`;
    const email = emailOf(name, Math.floor(index / NAMES.length));
    return role === 'anonymous' ? { name, sessionToken, role } : { name, email, sessionToken, role };
  });
}

/** "Mateo García" → "mateo.garcia@workshop.example.edu"; "Liam O'Brien" → "liam.obrien@…"; the second Liam: "liam.obrien2@…". */
function emailOf(name: string, round: number): string {
  const words = name.split(' ').map(asciiLetters);
  return `${words[0] ?? 'student'}.${words[words.length - 1] ?? 'student'}${round === 0 ? '' : round + 1}@${EMAIL_DOMAIN}`;
}

function asciiLetters(word: string): string {
  // NFD splits accents off their letters; the Turkish dotless ı has no decomposition.
  return word.normalize('NFD').toLowerCase().replace(/ı/g, 'i').replace(/[^a-z]/g, '');
}
