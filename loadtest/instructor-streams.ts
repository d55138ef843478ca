import type { SimulatedStudent } from '../scripts/demo/class-simulation.js';
import { LiveStream, type StreamFilter } from './live-stream.js';

/**
 * Opens each instructor's live stream, as the dashboard's views hold them (the class view
 * and the live tail: every event; the live tail filtered on errors; a student's timeline:
 * that session), and waits until all are open.
 */
export async function openInstructorStreams(url: string, token: string, instructors: number, students: readonly SimulatedStudent[]): Promise<LiveStream[]> {
  // Students who keep working to the end, so that a timeline has events to show.
  const followed = students.filter((student) => student.role === 'progressing');
  const filterOf = (index: number): StreamFilter => {
    if (index % 3 === 0) return {};
    if (index % 3 === 1) return { eventType: 'error' };
    const student = followed[index % Math.max(1, followed.length)] ?? students[0];
    return student === undefined ? {} : { sessionToken: student.sessionToken };
  };
  const streams = Array.from({ length: instructors }, (_, index) => new LiveStream(url, token, filterOf(index)));
  try {
    await Promise.all(streams.map((stream) => stream.ready()));
    return streams;
  } catch (error) {
    await Promise.all(streams.map((stream) => stream.close()));
    throw error;
  }
}
