import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { TestServer } from '../../test/helpers/server.js';
import { accountWithWebsite, visitorConversation } from '../conversations/test-fixtures.js';
import { eventsAfter } from '../events/record.js';
import { RealtimeClient } from '../realtime/test-client.js';
import { serversPerTest } from '../../test/helpers/servers-per-test.js';

const server = serversPerTest();

type Site = Awaited<ReturnType<typeof accountWithWebsite>>;
type Conversation = Awaited<ReturnType<typeof visitorConversation>>;
type File = { name: string; data: Uint8Array | string; type?: string };

/** A real 1200×900 PNG photo-like gradient, so the thumbnail is really made smaller. */
const png = () =>
  sharp({ create: { width: 1200, height: 900, channels: 3, background: { r: 20, g: 120, b: 220 } } })
    .png()
    .toBuffer();
const PDF = '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n';

function form(fields: Record<string, string | number | boolean>, files: File[], field = 'attachments[]') {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.append(name, String(value));
  for (const f of files) body.append(field, new Blob([f.data], { type: f.type ?? 'application/octet-stream' }), f.name);
  return body;
}

const visitorSends = (t: TestServer, site: Site, c: Conversation, body: FormData, headers: Record<string, string> = {}) =>
  t.request('POST', `/api/v1/widget/messages?website_token=${site.websiteToken}`, undefined, {
    rawBody: body,
    headers: { 'X-Conversation-Token': c.conversation_token, ...headers },
  });
const agentSends = (t: TestServer, site: Site, c: Conversation, body: FormData) =>
  t.request('POST', `/nc-api/v1/conversations/${c.id}/messages`, undefined, { rawBody: body, token: site.token });

/** A download as a browser makes it: the raw bytes and headers. */
async function download(t: TestServer, path: string, headers: Record<string, string> = {}) {
  const res = await fetch(t.url + path, { headers });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const attachmentCount = async (t: TestServer) => Number((await t.deps.db('attachments').count('* as n').first())!.n);

describe('attachments', () => {
  it('a visitor sends an image, a PDF and a text file; their types come from the content and agents and the widget download them', async () => {
    const t = await server();
    const site = await accountWithWebsite(t);
    const c = await visitorConversation(t, site.websiteToken);
    const image = await png();
    const sent = await visitorSends(
      t,
      site,
      c,
      form({ conversation_id: c.id, content: 'Here is the error' }, [
        { name: 'C:\\Users\\john\\screen shot.png', data: image, type: 'application/octet-stream' },
        { name: 'invoice.pdf', data: PDF, type: 'image/png' },
        { name: 'log.txt', data: 'line one\nline two ✓\n', type: 'text/plain' },
      ]),
    );
    expect(sent.status, sent.text).toBe(201);
    expect(sent.body.content).toBe('Here is the error');
    const [shot, pdf] = sent.body.attachments;
    expect(sent.body.attachments.map((a: { filename: string; content_type: string }) => [a.filename, a.content_type])).toEqual([
      ['screen shot.png', 'image/png'],
      ['invoice.pdf', 'application/pdf'],
      ['log.txt', 'text/plain'],
    ]);
    expect(shot).toMatchObject({
      size: image.length,
      url: `/api/v1/widget/attachments/${shot.id}`,
      thumb_url: `/api/v1/widget/attachments/${shot.id}/thumbnail`,
    });
    expect(pdf.thumb_url).toBeNull();

    // Agents see the same message with urls of the management API.
    const shown = await t.get(`/nc-api/v1/conversations/${c.id}`, site.token);
    const message = shown.body.messages.find((m: { id: number }) => m.id === sent.body.id);
    expect(message.attachments[0]).toMatchObject({ id: shot.id, url: `/nc-api/v1/attachments/${shot.id}` });

    const original = await download(t, message.attachments[0].url, bearer(site.token));
    expect(original.status).toBe(200);
    expect(original.bytes.equals(image)).toBe(true);
    expect(original.headers.get('content-type')).toBe('image/png');
    expect(original.headers.get('x-content-type-options')).toBe('nosniff');
    expect(original.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
    expect(original.headers.get('content-disposition')).toMatch(/^inline; filename="screen shot.png"/);

    const thumb = await download(t, message.attachments[0].thumb_url, bearer(site.token));
    expect(thumb.headers.get('content-type')).toBe('image/jpeg');
    const meta = await sharp(thumb.bytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 480, 360]);

    const file = await download(t, message.attachments[1].url, bearer(site.token));
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="invoice.pdf"/);
    const text = await download(t, message.attachments[2].url, bearer(site.token));
    expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(text.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(text.bytes.toString('utf8')).toBe('line one\nline two ✓\n');
    expect((await download(t, `${message.attachments[1].url}/thumbnail`, bearer(site.token))).status).toBe(404);

    // The widget downloads with its conversation token, never without one.
    const widgetUrl = `${shot.url}?website_token=${site.websiteToken}`;
    const byVisitor = await download(t, widgetUrl, { 'X-Conversation-Token': c.conversation_token });
    expect(byVisitor.status).toBe(200);
    expect(byVisitor.bytes.equals(image)).toBe(true);
    expect((await download(t, `${widgetUrl}&conversation_token=${c.conversation_token}`)).status).toBe(200);
    expect((await download(t, widgetUrl)).status).toBe(401);
    expect((await download(t, message.attachments[0].url)).status).toBe(401);
    // Another conversation's token does not open this one's files.
    const other = await visitorConversation(t, site.websiteToken);
    expect((await download(t, widgetUrl, { 'X-Conversation-Token': other.conversation_token })).status).toBe(401);

    // The widget's message list carries the widget's urls.
    const listed = await t.get(
      `/api/v1/widget/messages?website_token=${site.websiteToken}&conversation_id=${c.id}&conversation_token=${c.conversation_token}`,
    );
    expect(listed.body.data.at(-1).attachments[0].url).toBe(shot.url);
  });

  it('pushes attachments to consoles and the widget (each with its own urls) and to webhooks', async () => {
    const t = await server();
    const site = await accountWithWebsite(t);
    const c = await visitorConversation(t, site.websiteToken);
    const consoleSocket = await RealtimeClient.connect(t.url, { access_token: site.token });
    const widgetSocket = await RealtimeClient.connect(
      t.url,
      { website_token: site.websiteToken, conversation_token: c.conversation_token },
      { headers: { origin: site.websiteUrl } },
    );
    try {
      const before = (await eventsAfter(t.deps.db, { account_id: site.accountId }, 0)).at(-1)!.id;
      const sent = await agentSends(t, site, c, form({ content: '' }, [{ name: 'steps.txt', data: 'Restart the router.' }]));
      expect(sent.status, sent.text).toBe(201);
      expect(sent.body.content).toBe('');
      const id = sent.body.attachments[0].id;
      const isIt = (e: { type: string; data: Record<string, any> }) => e.type === 'message_created' && e.data.message.id === sent.body.id;
      expect((await consoleSocket.waitFor(isIt)).data.message.attachments[0].url).toBe(`/nc-api/v1/attachments/${id}`);
      expect((await widgetSocket.waitFor(isIt)).data.message.attachments[0].url).toBe(`/api/v1/widget/attachments/${id}`);
      // Webhooks deliver the stored event: the management API's url (receivers hold an API key).
      const stored = (await eventsAfter(t.deps.db, { account_id: site.accountId }, before)).find((e) => e.type === 'message_created')!;
      expect(stored.data).toMatchObject({
        message: { attachments: [{ id, filename: 'steps.txt', content_type: 'text/plain', size: 19 }] },
      });
    } finally {
      consoleSocket.socket.close();
      widgetSocket.socket.close();
    }
  });

  it("keeps a private note's files from the widget, and every file from another account (404)", async () => {
    const t = await server();
    const site = await accountWithWebsite(t);
    const stranger = await accountWithWebsite(t, 'https://stranger.example');
    const c = await visitorConversation(t, site.websiteToken);
    const note = await agentSends(t, site, c, form({ content: 'internal', private: true }, [{ name: 'notes.txt', data: 'secret' }]));
    expect(note.status, note.text).toBe(201);
    expect(note.body.private).toBe(true);
    const id = note.body.attachments[0].id;
    expect((await download(t, `/nc-api/v1/attachments/${id}`, bearer(site.token))).status).toBe(200);
    expect(
      (
        await download(t, `/api/v1/widget/attachments/${id}?website_token=${site.websiteToken}`, {
          'X-Conversation-Token': c.conversation_token,
        })
      ).status,
    ).toBe(404);
    expect((await download(t, `/nc-api/v1/attachments/${id}`, bearer(stranger.token))).status).toBe(404);
    expect((await download(t, `/nc-api/v1/attachments/${id}/thumbnail`, bearer(stranger.token))).status).toBe(404);
    // Another website's token with this conversation's token reaches nothing either.
    expect(
      (
        await download(t, `/api/v1/widget/attachments/${id}?website_token=${stranger.websiteToken}`, {
          'X-Conversation-Token': c.conversation_token,
        })
      ).status,
    ).toBe(404);
  });

  it('refuses bad uploads with a clear 4xx and stores nothing of them', async () => {
    const t = await server({ attachmentMaxBytes: 64 * 1024 });
    const site = await accountWithWebsite(t);
    const c = await visitorConversation(t, site.websiteToken);
    const fields = { conversation_id: c.id, content: 'see attached' };
    const small = { name: 'ok.txt', data: 'fine' };
    const cases: [string, FormData, number, string][] = [
      ['too large', form(fields, [small, { name: 'big.txt', data: 'x'.repeat(64 * 1024 + 1) }]), 413, 'payload_too_large'],
      [
        'too many',
        form(
          fields,
          Array.from({ length: 6 }, () => small),
        ),
        413,
        'payload_too_large',
      ],
      [
        'a zip',
        form(fields, [small, { name: 'a.zip', data: new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 0, 0]) }]),
        415,
        'unsupported_media_type',
      ],
      [
        'an exe named .png',
        form(fields, [{ name: 'cat.png', data: new Uint8Array([0x4d, 0x5a, 0x90, 0, 3]), type: 'image/png' }]),
        415,
        'unsupported_media_type',
      ],
      [
        'SVG',
        form(fields, [
          { name: 'x.svg', data: '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', type: 'image/svg+xml' },
        ]),
        415,
        'unsupported_media_type',
      ],
      [
        'HTML as text',
        form(fields, [{ name: 'x.txt', data: '<!DOCTYPE html><script>alert(1)</script>', type: 'text/plain' }]),
        415,
        'unsupported_media_type',
      ],
      [
        'a damaged PNG',
        form(fields, [{ name: 'broken.png', data: Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), Buffer.alloc(200, 7)]) }]),
        422,
        'validation_failed',
      ],
      ['an empty file', form(fields, [{ name: 'empty.txt', data: '' }]), 422, 'validation_failed'],
      ['files under another name', form(fields, [small], 'file'), 422, 'validation_failed'],
      ['no files and no text', form({ conversation_id: c.id, content: '  ' }, []), 422, 'validation_failed'],
      ['no conversation', form({ content: 'hi' }, [small]), 422, 'validation_failed'],
    ];
    for (const [what, body, status, code] of cases) {
      const res = await visitorSends(t, site, c, body);
      expect([what, res.status, res.body?.error?.code]).toEqual([what, status, code]);
    }
    const garbage = await t.request('POST', `/api/v1/widget/messages?website_token=${site.websiteToken}`, undefined, {
      rawBody: 'not a form at all',
      headers: { 'X-Conversation-Token': c.conversation_token, 'content-type': 'multipart/form-data; boundary=xyz' },
    });
    expect(garbage.status).toBe(400);
    // A form from a page of another origin is refused before anything is read.
    const foreign = await visitorSends(t, site, c, form(fields, [small]), { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);

    expect(await attachmentCount(t)).toBe(0);
    const shown = await t.get(`/nc-api/v1/conversations/${c.id}`, site.token);
    expect(shown.body.messages.map((m: { content: string }) => m.content)).not.toContain('see attached');
    // Within the limits it goes through.
    expect(
      (
        await visitorSends(
          t,
          site,
          c,
          form(
            fields,
            Array.from({ length: 5 }, () => small),
          ),
        )
      ).status,
    ).toBe(201);
    expect(await attachmentCount(t)).toBe(5);
  });

  it('replays an Idempotency-Key retry with the same files, and refuses the key with other files', async () => {
    const t = await server();
    const site = await accountWithWebsite(t);
    const c = await visitorConversation(t, site.websiteToken);
    const send = (data: string) =>
      t.request('POST', `/nc-api/v1/conversations/${c.id}/messages`, undefined, {
        rawBody: form({ content: 'the file' }, [{ name: 'a.txt', data }]),
        token: site.token,
        headers: { 'Idempotency-Key': 'upload-1' },
      });
    const first = await send('same');
    const retry = await send('same');
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body.id).toBe(first.body.id);
    expect((await send('different')).status).toBe(422);
    expect(await attachmentCount(t)).toBe(1);
  });
});
