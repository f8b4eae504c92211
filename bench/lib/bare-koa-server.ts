/**
 * The floor under bench/conversations.bench.ts's message path: a bare Koa app (the same Koa, co-body and
 * Node http the server uses) answering a JSON POST with a small JSON body, nothing else. Its CPU per request
 * is what any message costs on this machine before routing, checks, storage and the push. Prints `{"url":…}`.
 */
import http from 'node:http';
import coBody from 'co-body';
import Koa from 'koa';

const app = new Koa();
let id = 0;
app.use(async (ctx) => {
  const body = (await coBody.json(ctx.req, { limit: '64kb' })) as { content?: string };
  ctx.status = 201;
  ctx.body = { id: ++id, content: body.content ?? '', created_at: new Date().toISOString() };
});
const server = http.createServer(app.callback());
server.listen(0, '127.0.0.1', () => {
  const address = server.address() as { port: number };
  process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${address.port}`, pid: process.pid }) + '\n');
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
