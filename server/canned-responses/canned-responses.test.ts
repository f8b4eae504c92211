import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, TestServer } from '../../test/helpers/server.js';

let t: TestServer;
beforeAll(async () => {
  t = await TestServer.start();
});
afterAll(() => t?.close());

const codes = (body: { data: { short_code: string }[] }) => body.data.map((r) => r.short_code);

describe('canned responses', () => {
  it('saves, lists by short code, searches codes and contents, changes and deletes', async () => {
    const { token } = await signUp(t);
    const refund = await t.post('/nc-api/v1/canned_responses', { short_code: 'Refund', content: 'Refunds take 5 business days.' }, token);
    expect(refund.status).toBe(201);
    expect(refund.body).toMatchObject({ short_code: 'refund', content: 'Refunds take 5 business days.' });
    await t.post('/nc-api/v1/canned_responses', { short_code: 'hours', content: 'We are open 9 to 5, Monday to Friday.' }, token);
    await t.post('/nc-api/v1/canned_responses', { short_code: 'thanks', content: 'Thanks for waiting, your refund is on its way.' }, token);

    const all = await t.get('/nc-api/v1/canned_responses', token);
    expect(codes(all.body)).toEqual(['hours', 'refund', 'thanks']);
    expect(all.body.meta).toEqual({ total: 3, page: 1, per_page: 100 });
    // Codes that start with the text come before those that only mention it.
    expect(codes((await t.get('/nc-api/v1/canned_responses?q=REF', token)).body)).toEqual(['refund', 'thanks']);
    expect(codes((await t.get('/nc-api/v1/canned_responses?q=monday', token)).body)).toEqual(['hours']);
    // The user's % and _ are literal, not wildcards.
    expect(codes((await t.get('/nc-api/v1/canned_responses?q=%25', token)).body)).toEqual([]);

    const changed = await t.put(`/nc-api/v1/canned_responses/${refund.body.id}`, { content: 'Refunds take 3 business days.' }, token);
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ short_code: 'refund', content: 'Refunds take 3 business days.' });

    expect((await t.del(`/nc-api/v1/canned_responses/${refund.body.id}`, token)).status).toBe(204);
    expect((await t.del(`/nc-api/v1/canned_responses/${refund.body.id}`, token)).status).toBe(404);
    expect(codes((await t.get('/nc-api/v1/canned_responses', token)).body)).toEqual(['hours', 'thanks']);
  });

  it('keeps short codes unique per account (409), whatever their case, and other accounts apart', async () => {
    const a = await signUp(t);
    const b = await signUp(t);
    const first = await t.post('/nc-api/v1/canned_responses', { short_code: 'hello', content: 'Hi there!' }, a.token);
    const again = await t.post('/nc-api/v1/canned_responses', { short_code: 'HELLO', content: 'Hello!' }, a.token);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('short_code_taken');
    const other = await t.post('/nc-api/v1/canned_responses', { short_code: 'bye', content: 'Bye!' }, a.token);
    const renamed = await t.put(`/nc-api/v1/canned_responses/${other.body.id}`, { short_code: 'Hello' }, a.token);
    expect(renamed.status).toBe(409);

    // The same code in another account is that account's own; neither sees nor touches the other's.
    expect((await t.post('/nc-api/v1/canned_responses', { short_code: 'hello', content: 'Hey' }, b.token)).status).toBe(201);
    expect(codes((await t.get('/nc-api/v1/canned_responses', b.token)).body)).toEqual(['hello']);
    expect((await t.put(`/nc-api/v1/canned_responses/${first.body.id}`, { content: 'mine now' }, b.token)).status).toBe(404);
    expect((await t.del(`/nc-api/v1/canned_responses/${first.body.id}`, b.token)).status).toBe(404);
    expect(
      (await t.get('/nc-api/v1/canned_responses', a.token)).body.data.find((r: { id: number }) => r.id === first.body.id).content,
    ).toBe('Hi there!');
  });

  it('refuses a short code that is not one word, and empty content (422 naming the field)', async () => {
    const { token } = await signUp(t);
    for (const [body, field] of [
      [{ short_code: 'two words', content: 'x' }, 'short_code'],
      [{ short_code: '/refund', content: 'x' }, 'short_code'],
      [{ short_code: 'ok', content: '   ' }, 'content'],
    ] as const) {
      const res = await t.post('/nc-api/v1/canned_responses', body, token);
      expect(res.status).toBe(422);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    expect((await t.get('/nc-api/v1/canned_responses', token)).body.data).toEqual([]);
  });
});
