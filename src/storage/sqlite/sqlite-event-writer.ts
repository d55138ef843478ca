import type { Database, Statement } from 'better-sqlite3';
import { problemFact } from '../../analytics/problem-facts.js';
import type { CurrentStay, NewEvent } from '../types.js';
import { BoundedCache, currentStudent, type KnownStudent } from '../sql/bounded-cache.js';
import { assignStudents, planStudents } from '../sql/student-links.js';
import { SqliteSessionActivity, type StoredFact } from './session-activity.js';

/** What a transaction learned, applied to the caches only once it has committed. */
interface Learned {
  students: Map<string, KnownStudent>;
  links: Map<string, number | null>;
  stays: Map<string, CurrentStay>;
}

/**
 * Writes a group of events with prepared statements in one IMMEDIATE transaction.
 * This writer is the only one of its database file, so it can remember students and
 * session links instead of reading them back for every group (what a transaction
 * learns is remembered only once it has committed).
 */
export class SqliteEventWriter {
  private readonly upsertStudent: Statement<[string, string | null]>;
  private readonly selectStudent: Statement<[string], KnownStudent>;
  private readonly selectLink: Statement<[string], { student_id: number }>;
  private readonly upsertLink: Statement<[string, number]>;
  private readonly insertEvent: Statement<[number | null, string, string, string, string, string | null, number | null]>;
  private readonly insertProblem: Statement<[number, string, number, string, string | null, string, number | null, string | null, string | null]>;
  private readonly selectEpoch: Statement<[], { epoch: number }>;
  private epoch: number | null = null;
  private readonly activity: SqliteSessionActivity;
  private readonly writeGroup: (events: readonly NewEvent[], at: string) => Learned;
  private readonly students = new BoundedCache<string, KnownStudent>();
  private readonly links = new BoundedCache<string, number | null>();

  constructor(db: Database) {
    this.upsertStudent = db.prepare(`
      INSERT INTO students (email, name) VALUES (?, ?)
      ON CONFLICT (email) DO UPDATE SET name = excluded.name
      WHERE excluded.name IS NOT NULL AND students.name IS NOT excluded.name`);
    this.selectStudent = db.prepare('SELECT student_id AS id, name FROM students WHERE email = ?');
    this.selectLink = db.prepare('SELECT student_id FROM sessions WHERE session_token = ?');
    this.upsertLink = db.prepare(`
      INSERT INTO sessions (session_token, student_id) VALUES (?, ?)
      ON CONFLICT (session_token) DO UPDATE SET student_id = excluded.student_id`);
    this.insertEvent = db.prepare(`
      INSERT INTO events (student_id, session_token, event_type, event_data, created_at, client_event_id, seq)
      VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (client_event_id) DO NOTHING`);
    // Positional parameters here and below: binding by name looks each one up on an object.
    this.insertProblem = db.prepare(`
      INSERT INTO event_problems (event_id, session_token, at_ms, kind, label, pattern, status, step, step_name)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.selectEpoch = db.prepare('SELECT epoch FROM store_epoch');
    this.activity = new SqliteSessionActivity(db);
    const transaction = db.transaction((events: readonly NewEvent[], at: string) => this.write(events, at));
    this.writeGroup = (events, at) => transaction.immediate(events, at);
  }

  /** `at`: when the events are stored (now; a test may write the past, in time order). */
  insertEvents(events: readonly NewEvent[], at = new Date().toISOString()): void {
    let learned: Learned;
    try {
      learned = this.writeGroup(events, at);
    } catch (error) {
      // Whatever went wrong, do not trust what we remembered (a student may be gone).
      this.forget();
      this.epoch = null;
      throw error;
    }
    this.students.remember(learned.students);
    this.links.remember(learned.links);
    this.activity.remember(learned.stays);
  }

  private write(events: readonly NewEvent[], at: string): Learned {
    this.forgetAfterDeletions();
    const learned: Learned = { students: new Map(), links: new Map(), stays: new Map() };
    const plan = planStudents(events);
    const studentIds = new Map<string, number>();
    for (const [email, name] of plan.students) studentIds.set(email, this.student(email, name, learned).id);
    const links = new Map<string, number>();
    for (const token of plan.tokens) {
      const link = this.link(token, learned);
      if (link !== null) links.set(token, link);
    }
    const { studentOf, changedLinks } = assignStudents(events, studentIds, links);
    for (const [token, studentId] of changedLinks) {
      this.upsertLink.run(token, studentId);
      learned.links.set(token, studentId);
    }
    const stored: StoredFact[] = [];
    events.forEach((event, i) => {
      const data = JSON.stringify(event.eventData);
      const { changes, lastInsertRowid } = this.insertEvent.run(studentOf[i] ?? null, event.sessionToken, event.eventType, data, at, event.eventId ?? null, event.seq ?? null);
      if (changes === 0) return;
      const eventId = Number(lastInsertRowid);
      stored.push({ eventId, sessionToken: event.sessionToken, eventType: event.eventType, eventData: event.eventData });
      const problem = problemFact(event.eventType, event.eventData);
      if (problem !== null) {
        const { kind, label, pattern, status, step, stepName } = problem;
        this.insertProblem.run(eventId, event.sessionToken, Date.parse(at), kind, label, pattern, status, step, stepName);
      }
    });
    learned.stays = this.activity.record(stored, at);
    return learned;
  }

  /**
   * An erasure or a retention pass deleted rows meanwhile (they bump store_epoch): what
   * this writer remembers may be gone. Read inside the write transaction, so no deletion
   * can commit between this check and the commit.
   */
  private forgetAfterDeletions(): void {
    const { epoch } = this.selectEpoch.get() ?? { epoch: 0 };
    if (this.epoch !== null && epoch !== this.epoch) this.forget();
    this.epoch = epoch;
  }

  private forget(): void {
    this.students.clear();
    this.links.clear();
    this.activity.forget();
  }

  private student(email: string, name: string | null, learned: Learned): KnownStudent {
    const known = currentStudent(this.students, email, name);
    if (known !== undefined) return known;
    this.upsertStudent.run(email, name);
    const stored = this.selectStudent.get(email);
    if (stored === undefined) throw new Error(`student ${email} vanished inside its own transaction`);
    learned.students.set(email, stored);
    return stored;
  }

  private link(token: string, learned: Learned): number | null {
    const known = this.links.get(token);
    if (known !== undefined) return known;
    const stored = this.selectLink.get(token)?.student_id ?? null;
    learned.links.set(token, stored);
    return stored;
  }
}
