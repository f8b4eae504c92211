import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, TestServer } from '../../test/helpers/server.js';

let t: TestServer;
let instanceOwner: string;
beforeAll(async () => {
  t = await TestServer.start();
  instanceOwner = (await signUp(t)).token; // the first account owns the instance and may change plans
});

async function proAccount() {
  const account = await signUp(t);
  const changed = await t.put(`/nc-api/v1/accounts/${account.accountId}/plan`, { plan: 'pro' }, instanceOwner);
  if (changed.status !== 200) throw new Error(`plan change failed: ${changed.status} ${changed.text}`);
  return account;
}
afterAll(async () => {
  await t?.close();
});

const ITEMS = '/nc-api/v1/knowledge_base/items';
const ITEMS_IMPORT = '/nc-api/v1/knowledge_base/items/import';
const FILE_IMPORT = '/nc-api/v1/knowledge_base/import';

const itemCount = async (token: string) => (await t.get(`${ITEMS}?per_page=1`, token)).body.meta.total as number;
const qa = (n: number, prefix = 'Question') =>
  Array.from({ length: n }, (_, i) => ({ question: `${prefix} ${i + 1}?`, answer: `Answer ${i + 1}.` }));
const raw = (path: string, token: string, body: string | FormData, contentType?: string) =>
  t.request('POST', path, undefined, { token, rawBody: body, headers: contentType ? { 'content-type': contentType } : {} });

describe('items/import (JSON array, at most 200)', () => {
  it("answers the quick-start's call with the bare array of created items, in order", async () => {
    const { token } = await signUp(t);
    const res = await raw(
      ITEMS_IMPORT,
      token,
      `[ {"title":"What is your return policy?","content":"30-day returns, free shipping label.","category":"After-sales","tags":["return","refund"]},
         {"title":"How to track my order?","content":"Login → Orders → Track. Or email support with order #.","category":"Pre-sales","tags":["order","shipping"]} ]`,
      'application/json',
    );
    expect(res.status).toBe(201);
    expect(Array.isArray(res.body)).toBe(true);
    expect(res.body).toEqual([
      expect.objectContaining({
        id: expect.any(Number),
        title: 'What is your return policy?',
        category: 'After-sales',
        tags: ['return', 'refund'],
      }),
      expect.objectContaining({
        id: expect.any(Number),
        title: 'How to track my order?',
        category: 'Pre-sales',
        tags: ['order', 'shipping'],
      }),
    ]);
    expect(res.body[1].id).toBeGreaterThan(res.body[0].id);
    expect(await itemCount(token)).toBe(2);
  });

  it('takes 200 items and refuses 201 with a 413, writing nothing', async () => {
    const { token } = await proAccount();
    const tooMany = await t.post(ITEMS_IMPORT, qa(201), token);
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.error).toMatchObject({ code: 'payload_too_large', details: { max: 200, received: 201 } });
    expect(await itemCount(token)).toBe(0);
    const full = await t.post(ITEMS_IMPORT, qa(200), token);
    expect(full.status).toBe(201);
    expect(full.body).toHaveLength(200);
    expect(await itemCount(token)).toBe(200);
  }, 120_000); // 200 items are embedded before the import answers

  it('refuses the whole batch when one row is bad, naming every bad row', async () => {
    const { token } = await signUp(t);
    const items: unknown[] = qa(6).map((r) => ({ title: r.question, content: r.answer }));
    items[3] = { title: '', content: 'orphan answer' };
    items[5] = { title: 'No answer' };
    const res = await t.post(ITEMS_IMPORT, items, token);
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([
      { field: 'items[3].title', message: expect.any(String) },
      { field: 'items[5].content', message: expect.any(String) },
    ]);
    expect(res.body.error.message).toContain('items[3]');
    expect(await itemCount(token)).toBe(0);
  });

  it('refuses a body that is not an array of items', async () => {
    const { token } = await signUp(t);
    expect((await raw(ITEMS_IMPORT, token, '[{"title":', 'application/json')).status).toBe(400);
    expect((await t.post(ITEMS_IMPORT, { title: 'a', content: 'b' }, token)).status).toBe(422);
    expect((await t.post(ITEMS_IMPORT, [], token)).status).toBe(422);
    expect((await t.post(ITEMS_IMPORT, ['just a string'], token)).body.error.details[0].field).toBe('items[0]');
    expect(await itemCount(token)).toBe(0);
  });
});

describe('knowledge_base/import (Q&A file, at most 500)', () => {
  it('takes a JSON array, {items:[…]}, and question/answer or title/content items', async () => {
    const { token } = await signUp(t);
    const array = await t.post(
      FILE_IMPORT,
      [{ question: 'Shipping time?', answer: '3-5 business days', category: 'Pre-sales', tags: 'shipping; delivery' }],
      token,
    );
    expect(array.status).toBe(201);
    expect(array.body).toEqual({
      imported: 1,
      items: [
        expect.objectContaining({
          title: 'Shipping time?',
          content: '3-5 business days',
          category: 'Pre-sales',
          tags: ['shipping', 'delivery'],
        }),
      ],
    });
    const wrapped = await t.post(
      FILE_IMPORT,
      {
        items: [
          { title: 'Payment methods?', content: 'Visa, MC, PayPal', category: 'Pricing' },
          { question: 'Refunds?', answer: 'Within 5 days.', extra: 'ignored' },
        ],
      },
      token,
    );
    expect(wrapped.status).toBe(201);
    expect(wrapped.body.imported).toBe(2);
    expect(wrapped.body.items.map((i: { title: string }) => i.title)).toEqual(['Payment methods?', 'Refunds?']);
    expect(await itemCount(token)).toBe(3);
  });

  it('reads CSV with a BOM, quoted commas, quotes and line breaks inside fields', async () => {
    const { token } = await signUp(t);
    const csv =
      '\uFEFFquestion,answer,category,tags\r\n' +
      '"Do you ship abroad, e.g. to Canada?","Yes, to 40 countries.\nCustoms are included.",Shipping,"shipping,international"\r\n' +
      'What does "express" mean?,"Next-day delivery, ordered before 2 pm.",,express\r\n' +
      '\r\n' +
      'Plain question,"He said ""hi"" twice",Misc,\r\n';
    const res = await raw(FILE_IMPORT, token, csv, 'text/csv');
    expect(res.status).toBe(201);
    expect(res.body.imported).toBe(3);
    expect(res.body.items.map((i: Record<string, unknown>) => [i.title, i.content, i.category, i.tags])).toEqual([
      ['Do you ship abroad, e.g. to Canada?', 'Yes, to 40 countries.\nCustoms are included.', 'Shipping', ['shipping', 'international']],
      ['What does "express" mean?', 'Next-day delivery, ordered before 2 pm.', null, ['express']],
      ['Plain question', 'He said "hi" twice', 'Misc', []],
    ]);
  });

  it('refuses a CSV with a bad row by its spreadsheet row, writing nothing', async () => {
    const { token } = await signUp(t);
    const csv = 'question,answer\nQ1?,A1\nQ2?,A2\n"Q3, no answer?",\nQ4?,A4\n';
    const res = await raw(FILE_IMPORT, token, csv, 'text/csv');
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([{ field: 'row 4.answer', message: expect.any(String) }]);
    expect(await itemCount(token)).toBe(0);

    const unclosed = await raw(FILE_IMPORT, token, 'question,answer\n"Q1?,A1\n', 'text/csv');
    expect(unclosed.status).toBe(422);
    expect(unclosed.body.error.details[0].field).toBe('csv');
    const noHeader = await raw(FILE_IMPORT, token, 'Q1?,A1\nQ2?,A2\n', 'text/csv');
    expect(noHeader.status).toBe(422);
    expect(noHeader.body.error.details[0].message).toContain('header');
    expect(await itemCount(token)).toBe(0);
  });

  it('takes an uploaded file, typed by its content type or its extension', async () => {
    const { token } = await signUp(t);
    const csvForm = new FormData();
    csvForm.append(
      'file',
      new Blob(['question,answer,category,tags\n"Opening hours?","9-17, Mon-Fri",Store,hours\n'], { type: 'application/octet-stream' }),
      'faq.csv',
    );
    const csv = await raw(FILE_IMPORT, token, csvForm);
    expect(csv.status).toBe(201);
    expect(csv.body.items[0]).toMatchObject({ title: 'Opening hours?', content: '9-17, Mon-Fri', category: 'Store', tags: ['hours'] });

    const jsonForm = new FormData();
    jsonForm.append('upload', new Blob([JSON.stringify({ items: qa(2, 'Uploaded') })], { type: 'application/json' }), 'export');
    const json = await raw(FILE_IMPORT, token, jsonForm);
    expect(json.status).toBe(201);
    expect(json.body.imported).toBe(2);
    expect(await itemCount(token)).toBe(3);

    const textForm = new FormData();
    textForm.append('file', new Blob(['hello'], { type: 'text/plain' }), 'notes.txt');
    expect((await raw(FILE_IMPORT, token, textForm)).status).toBe(415);
    const noFile = new FormData();
    noFile.append('note', 'no file here');
    const missing = await raw(FILE_IMPORT, token, noFile);
    expect(missing.status).toBe(422);
    expect(missing.body.error.details[0].field).toBe('file');

    const badForm = new FormData();
    badForm.append('file', new Blob(['question,answer\nQ?,\n'], { type: 'text/csv' }), 'bad.csv');
    expect((await raw(FILE_IMPORT, token, badForm)).status).toBe(422);
    expect(await itemCount(token)).toBe(3);
  });

  it('refuses 501 items with a 413 and takes 500', async () => {
    const { token } = await proAccount();
    const tooMany = await t.post(FILE_IMPORT, { items: qa(501) }, token);
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.error.details).toEqual({ max: 500, received: 501 });
    const csvRows = qa(501).map((r) => `${r.question},${r.answer}`);
    expect((await raw(FILE_IMPORT, token, `question,answer\n${csvRows.join('\n')}\n`, 'text/csv')).status).toBe(413);
    expect(await itemCount(token)).toBe(0);
    const full = await t.post(FILE_IMPORT, qa(500), token);
    expect(full.status).toBe(201);
    expect(full.body.imported).toBe(500);
    expect(await itemCount(token)).toBe(500);
  }, 120_000); // 500 items are embedded before the import answers
});

describe('hostile import bodies, on every import path', () => {
  it('refuses a NUL character in any field, as JSON routes do, naming the row, and writes nothing', async () => {
    const { token } = await signUp(t);
    const json = await t.post(ITEMS_IMPORT, [...qa(2), { title: 'Null\u0000byte?', content: 'fine' }], token);
    expect(json.status).toBe(422);
    expect(json.body.error.details).toEqual([{ field: 'items[2].title', message: 'must not contain NUL characters' }]);
    const file = await t.post(FILE_IMPORT, { items: [{ question: 'Q?', answer: 'A\u0000', tags: ['ok', 'b\u0000d'] }] }, token);
    expect(file.status).toBe(422);
    expect(file.body.error.details.map((d: { field: string }) => d.field)).toEqual(['items[0].answer', 'items[0].tags.1']);
    const csv = await raw(FILE_IMPORT, token, 'question,answer\nFine?,Yes\nBad?,"no\u0000pe"\n', 'text/csv');
    expect(csv.status).toBe(422);
    expect(csv.body.error.details).toEqual([{ field: 'row 3.answer', message: 'must not contain NUL characters' }]);
    const form = new FormData();
    form.append('file', new Blob(['question,answer\nQ\u0000?,A\n'], { type: 'text/csv' }), 'faq.csv');
    const upload = await raw(FILE_IMPORT, token, form);
    expect(upload.status).toBe(422);
    expect(upload.body.error.details[0].field).toBe('row 2.question');
    expect(await itemCount(token)).toBe(0);
  });

  it('answers 400 to JSON nested 100 000 deep, sent as the body or as an uploaded file', async () => {
    const { token } = await signUp(t);
    const deep = '{"items":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}';
    for (const path of [ITEMS_IMPORT, FILE_IMPORT]) {
      const res = await raw(path, token, deep, 'application/json');
      expect({ status: res.status, code: res.body.error.code }, path).toEqual({ status: 400, code: 'nesting_too_deep' });
    }
    const form = new FormData();
    form.append('file', new Blob([deep], { type: 'application/json' }), 'deep.json');
    const upload = await raw(FILE_IMPORT, token, form);
    expect({ status: upload.status, code: upload.body.error.code }).toEqual({ status: 400, code: 'nesting_too_deep' });
    expect(await itemCount(token)).toBe(0);
  });

  it('reads gzip and brotli bodies, refuses corrupt ones with 400, and a compressed upload with 415', async () => {
    const { token } = await signUp(t);
    const send = (path: string, body: Uint8Array<ArrayBuffer> | FormData, headers: Record<string, string>) =>
      t.request('POST', path, undefined, { token, rawBody: body, headers });
    const gzipped = await send(ITEMS_IMPORT, gzipSync(JSON.stringify(qa(2, 'Gzipped'))), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(gzipped.status).toBe(201);
    const csv = await send(FILE_IMPORT, brotliCompressSync('question,answer\nBrotli?,Yes\n'), {
      'content-type': 'text/csv',
      'content-encoding': 'br',
    });
    expect(csv.status).toBe(201);
    expect(await itemCount(token)).toBe(3);
    const truncated = gzipSync(JSON.stringify(qa(5))).subarray(0, 30);
    const corrupt = await send(FILE_IMPORT, new Uint8Array(truncated), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect({ status: corrupt.status, code: corrupt.body.error.code }).toEqual({ status: 400, code: 'invalid_encoding' });
    const form = new FormData();
    form.append('file', new Blob(['question,answer\nQ?,A\n'], { type: 'text/csv' }), 'faq.csv');
    const compressedUpload = await send(FILE_IMPORT, form, { 'content-encoding': 'gzip' });
    expect({ status: compressedUpload.status, code: compressedUpload.body.error.code }).toEqual({
      status: 415,
      code: 'unsupported_media_type',
    });
    expect(await itemCount(token)).toBe(3);
  });
});

describe("the plan's kb_items limit (starter: 50)", () => {
  it('refuses an import that would pass the limit as a whole, and takes one that reaches it exactly', async () => {
    const { token } = await signUp(t, { plan: 'starter' });
    expect((await t.post(ITEMS_IMPORT, qa(40, 'First'), token)).status).toBe(201);

    const over = await t.post(FILE_IMPORT, qa(11, 'Second'), token);
    expect(over.status).toBe(403);
    expect(over.body.error).toMatchObject({ code: 'plan_limit_reached', details: { limit: 'kb_items', max: 50 } });
    expect(await itemCount(token)).toBe(40);
    const overCsv = await raw(
      FILE_IMPORT,
      token,
      `question,answer\n${qa(11)
        .map((r) => `${r.question},${r.answer}`)
        .join('\n')}`,
      'text/csv',
    );
    expect(overCsv.status).toBe(403);
    expect(await itemCount(token)).toBe(40);

    expect((await t.post(FILE_IMPORT, qa(10, 'Third'), token)).status).toBe(201);
    expect(await itemCount(token)).toBe(50);
    const single = await t.post(ITEMS, { title: 'One more?', content: 'No.' }, token);
    expect(single.status).toBe(403);
    expect(single.body.error.code).toBe('plan_limit_reached');
    expect(await itemCount(token)).toBe(50);
    // The status endpoint counts what the imports wrote.
    expect((await t.get('/nc-api/v1/account/status', token)).body.usage.kb_items).toBe(50);
  });

  it('lets only one of two concurrent imports that together pass the limit through', async () => {
    const { token } = await signUp(t, { plan: 'starter' });
    const results = await Promise.all([t.post(ITEMS_IMPORT, qa(30, 'Left'), token), t.post(FILE_IMPORT, qa(30, 'Right'), token)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 403]);
    expect(await itemCount(token)).toBe(30);
  });
});
