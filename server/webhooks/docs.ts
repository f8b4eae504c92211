/** The "Webhook signatures" section of the API docs' introduction. */
export const WEBHOOK_SIGNATURE_DOCS = `## Webhook signatures

Each webhook delivery is a \`POST\` with a JSON body such as
\`{"event":"conversation_created","id":812,"conversation_id":360,"account_id":17,"contact":{"name":"John","email":"john@example.com","verified":false},"created_at":"…","conversation":{…}}\`
(\`message_created\` and \`message_updated\` add \`message\`, \`sla_breached\` adds \`sla\`; \`contact.verified\` is true only when
your site vouched for the e-mail with an \`identifier_hash\` or an agent chose the contact: do not trust an unverified e-mail) and these headers:

- \`X-Nova-Event\`: the event type;
- \`X-Nova-Delivery\`: a unique id of this delivery, the same on every retry of it (drop duplicates by it: delivery is at-least-once);
- \`X-Nova-Timestamp\`: when this attempt was sent, in Unix seconds;
- \`X-Nova-Signature\`: \`sha256=\` followed by the lowercase hex HMAC-SHA256, keyed by the webhook's secret, of
  \`<X-Nova-Timestamp>.<raw request body>\` (the timestamp, a full stop, then the body bytes exactly as received).

To verify a delivery, compute the HMAC over the raw body before parsing it, compare in constant time, and reject
timestamps more than five minutes old so a captured request cannot be replayed. In Node.js:

\`\`\`js
import { createHmac, timingSafeEqual } from 'node:crypto';

function verifyNovaWebhook(secret, headers, rawBody) {
  const timestamp = headers['x-nova-timestamp'];
  const expected = 'sha256=' + createHmac('sha256', secret).update(\`\${timestamp}.\${rawBody}\`).digest('hex');
  const given = String(headers['x-nova-signature'] ?? '');
  const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) <= 300;
  return fresh && given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}
\`\`\`

A receiver answers any 2xx to acknowledge. Anything else, a timeout (10 s by default) or a redirect (redirects are not
followed) is a failed attempt, retried with exponential backoff and jitter up to a maximum number of attempts. Every
attempt is listed at \`GET /nc-api/v1/webhooks/{id}/deliveries\`, and any delivery can be sent again with
\`POST /nc-api/v1/webhooks/{id}/deliveries/{deliveryId}/resend\`.`;
