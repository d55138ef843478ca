// The spec's naive design: one awaited INSERT per request through a pg Pool, no group
// commit, into the service's own events table (the bench migrates the database first).
// It does less than the service per event (no validation beyond types, no student
// linking), so the service/naive ratio it yields is conservative.
// Env: PORT, HOST, DATABASE_URL (postgres://…).
import Fastify from 'fastify';
import pg from 'pg';

interface EventBody {
  sessionToken: string;
  eventType: string;
  eventData: Record<string, unknown>;
}

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: 10,
  options: '-c synchronous_commit=on',
});
pool.on('error', (error) => process.stderr.write(`idle client error: ${error.message}\n`));

const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });

app.post<{ Body: EventBody }>('/api/session-log', async (request, reply) => {
  const { sessionToken, eventType, eventData } = request.body;
  if (typeof sessionToken !== 'string' || typeof eventType !== 'string' || typeof eventData !== 'object') {
    return reply.code(400).send({ success: false });
  }
  await pool.query(
    'INSERT INTO events (session_token, event_type, event_data, created_at) VALUES ($1, $2, $3, now())',
    [sessionToken, eventType, JSON.stringify(eventData)],
  );
  return { success: true };
});
app.get('/healthz', async () => {
  await pool.query('SELECT 1');
  return { status: 'ok' };
});

await app.listen({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? '127.0.0.1' });
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => void app.close().then(() => pool.end()).then(() => process.exit(0)));
}
