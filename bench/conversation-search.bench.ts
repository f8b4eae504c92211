/**
 * Conversation search (GET /nc-api/v1/conversations/search) over 100 000 messages, on a server in this process:
 *  1. latency of typical searches over HTTP (a rare word, a common word, two words, a prefix, a contact's name);
 *  2. what the full-text index costs the hot message path: CPU per message written through addMessage (the
 *     production write path: store, event, push) with the index, then without it (SQLite: the batches of
 *     search/indexer.ts stopped; PostgreSQL: the generated column and its GIN index dropped).
 * `npm run bench -- conversation-search` or `npx tsx bench/conversation-search.bench.ts`.
 * Env: BENCH_MESSAGES (default 100000), DATABASE_URL (PostgreSQL instead of SQLite: a database of its own is made on that server).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { addMessage } from '../server/conversations/service.js';
import { isPostgres } from '../server/db/knex.js';
import { startServer } from '../server/index.js';
import { createPostgresDatabase } from '../test/helpers/database.js';
import { machineLine, percentile } from './lib/machine.js';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 100_000);
const PER_CONVERSATION = 20;
const SEARCH_RUNS = 60;
const WRITES = 2_000;

/** A support-flavoured vocabulary: a few common words, many rarer ones (Zipf-like draw), a handful of topics. */
const COMMON = 'the my order is a to and for i it you please thanks hello can help not when where how'.split(' ');
const TOPICS = 'refund parcel invoice password delivery warranty discount subscription courier voucher'.split(' ');
const RARE = Array.from({ length: 5000 }, (_, i) => `w${i.toString(36)}x`);
let seed = 42;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
function sentence(): string {
  const words: string[] = [];
  const length = 6 + Math.floor(random() * 18);
  for (let i = 0; i < length; i++) {
    const r = random();
    if (r < 0.6) words.push(COMMON[Math.floor(random() * COMMON.length)]!);
    else if (r < 0.68) words.push(TOPICS[Math.floor(random() * TOPICS.length)]!);
    else words.push(RARE[Math.floor(random() ** 2 * RARE.length)]!);
  }
  return words.join(' ');
}

/** A fresh database on the PostgreSQL of DATABASE_URL, else SQLite (no url). */
async function database(): Promise<{ url?: string; drop(): Promise<void> }> {
  const adminUrl = process.env.DATABASE_URL;
  return adminUrl ? createPostgresDatabase(adminUrl, 'nova_bench') : { drop: async () => {} };
}

async function main() {
  console.log(machineLine());
  const db = await database();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-bench-search-'));
  const server = await startServer({
    env: db.url ? { DATABASE_URL: db.url } : {},
    dataDir,
    port: 0,
    host: '127.0.0.1',
    secretStore: 'file',
    logLevel: 'silent',
    widgetConversationsPerIp: 1e6,
  });
  const knex = server.deps.db;
  console.log(
    `database: ${isPostgres(knex) ? 'PostgreSQL' : 'SQLite (WAL)'}; ${MESSAGES} messages in ${MESSAGES / PER_CONVERSATION} conversations`,
  );
  try {
    const post = async (p: string, body: unknown, token?: string) => {
      const res = await fetch(server.url + p, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      return (await res.json()) as Record<string, any>;
    };
    const signUp = await post('/nc-api/v1/accounts', {
      name: 'Search',
      email: `search-${Date.now()}@bench.example`,
      password: 'BenchPass123!',
    });
    const token = signUp.token as string;
    const accountId = signUp.account.id as number;
    const bound = await post('/nc-api/v1/account/bind-domain', { website_url: 'https://search.example' }, token);
    const template = await post(`/api/v1/widget/conversations?website_token=${bound.website_token}`, {
      contact: { name: 'Template' },
      message: 'hi',
    });
    const base = await knex('conversations').where({ id: template.id }).first();
    const baseContact = await knex('contacts').where({ id: base.contact_id }).first();

    // Seeding writes the rows in batches; the search index takes them as it takes live writes (on SQLite, in the indexer's batches).
    const seedStarted = performance.now();
    const conversations = MESSAGES / PER_CONVERSATION;
    for (let start = 0; start < conversations; start += 250) {
      await knex.transaction(async (trx) => {
        for (let i = start; i < Math.min(conversations, start + 250); i++) {
          const [contact] = await trx('contacts')
            .insert({ ...baseContact, id: undefined, name: `Customer ${i}`, email: `customer${i}@mail.example` })
            .returning('id');
          const now = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
          const [conversation] = await trx('conversations')
            .insert({
              ...base,
              id: undefined,
              contact_id: contact.id,
              token_hash: randomBytes(32).toString('hex'),
              created_at: now,
              updated_at: now,
              last_message_at: now,
            })
            .returning('id');
          const rows = Array.from({ length: PER_CONVERSATION }, (_, m) => ({
            account_id: accountId,
            conversation_id: conversation.id,
            content: sentence(),
            message_type: m % 2 ? 'outgoing' : 'incoming',
            private: false,
            sender_type: m % 2 ? 'agent' : 'contact',
            sender_name: m % 2 ? 'Agent' : `Customer ${i}`,
            created_at: now,
          }));
          await trx('messages').insert(rows);
        }
      });
    }
    console.log(`seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);
    if (!isPostgres(knex)) {
      const indexStarted = performance.now();
      await server.deps.messageSearch.catchUp();
      console.log(
        `indexed for search in ${((performance.now() - indexStarted) / 1000).toFixed(1)} s (SQLite: batches of search/indexer.ts)`,
      );
    }

    const queries: [string, string][] = [
      ['rare word', RARE[40]!],
      ['topic word', 'refund'],
      ['common word', 'order'],
      ['two words', 'parcel courier'],
      ['prefix', 'warr'],
      ["contact's name", `customer ${Math.floor(conversations / 2) + 1}`],
    ];
    console.log('\n| query | matches (conversations) | p50 | p95 |\n| --- | --- | --- | --- |');
    for (const [label, q] of queries) {
      const times: number[] = [];
      let total = 0;
      for (let run = 0; run < SEARCH_RUNS; run++) {
        const started = performance.now();
        const res = await fetch(`${server.url}/nc-api/v1/conversations/search?q=${encodeURIComponent(q)}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        const body = (await res.json()) as { meta: { total: number } };
        times.push(performance.now() - started);
        total = body.meta.total;
      }
      times.sort((a, b) => a - b);
      console.log(`| ${label} (\`${q}\`) | ${total} | ${percentile(times, 50).toFixed(1)} ms | ${percentile(times, 95).toFixed(1)} ms |`);
    }

    const sender = { type: 'contact' as const, id: null, name: 'Visitor' };
    const write = async (label: string, indexed: boolean) => {
      const cpu = process.cpuUsage();
      const started = performance.now();
      for (let i = 0; i < WRITES; i++)
        await addMessage(server.deps, accountId, template.id, { content: sentence(), message_type: 'incoming', sender });
      if (indexed) await server.deps.messageSearch.catchUp(); // SQLite: the batches still due are part of the writes' cost
      const used = process.cpuUsage(cpu);
      const ms = performance.now() - started;
      console.log(`| ${label} | ${((used.user + used.system) / 1000 / WRITES).toFixed(3)} ms | ${(ms / WRITES).toFixed(3)} ms |`);
    };
    console.log(
      `\n| hot path: addMessage, one at a time (${WRITES}) | CPU per message (this process) | wall per message |\n| --- | --- | --- |`,
    );
    await write('with the search index', true);
    if (isPostgres(knex)) await knex.raw('ALTER TABLE messages DROP COLUMN search_vector');
    else await server.deps.messageSearch.stop();
    await write(isPostgres(knex) ? 'without it (dropped)' : 'without it (the indexer stopped)', false);
    console.log(isPostgres(knex) ? '(PostgreSQL computes the vector and its index in its own process: compare the wall times)' : '');
  } finally {
    await server.close();
    await db.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
