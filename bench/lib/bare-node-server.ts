/**
 * The floor under the bare Koa floor (bench/lib/bare-koa-server.ts): Node's own http server answering the same
 * JSON POST with the same JSON body, no framework. What remains is what Node's HTTP costs per request on this
 * machine at a given pace. Prints `{"url":…}`.
 */
import http from 'node:http';

let id = 0;
const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as { content?: string };
    const answer = JSON.stringify({ id: ++id, content: body.content ?? '', created_at: new Date().toISOString() });
    res.writeHead(201, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(answer) });
    res.end(answer);
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address() as { port: number };
  process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${address.port}`, pid: process.pid }) + '\n');
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
