/** The realtime protocol, for the API docs' introduction (it has no OpenAPI operation of its own). */
export const REALTIME_DOCS = `## Realtime (WebSocket and SSE)

Connect a WebSocket to \`/realtime\` on the same host:

- the widget: \`/realtime?website_token=wk_live_…&conversation_token=ct_…\` (only its own conversation's events, never private notes;
  a browser socket must come from the bound website's origin);
- the console or an integration: \`/realtime?access_token=<JWT or nc_live_ API key>\` (every event of the account).

Add \`&last_event_id=N\` after a reconnect: the server first sends every stored event after \`N\` the client may see, then live ones.
A refused upgrade answers 401 (credentials), 403 (origin) or 429 (\`too_many_connections\`, with \`Retry-After\`) before any WebSocket
is opened. Live connections (WebSocket and SSE together) are capped per widget conversation (NOVA_REALTIME_MAX_PER_CONVERSATION, 20)
and per client address (NOVA_REALTIME_MAX_PER_ADDRESS, 200, an IPv6 /64 counting as one), and console connections per signed-in
user or API key (NOVA_REALTIME_MAX_PER_USER, 20) rather than per address, so an office behind one NAT is not capped as one client.

Each server message is one JSON event: \`{"id","type","account_id","conversation_id","data","created_at"}\`, with \`type\` one of
\`conversation_created\`, \`conversation_updated\` (\`data.conversation\` after the change; when an agent or the bot changed it, also
\`data.changed_attributes\` — among \`status\`, \`bot_active\`, \`assignee\`, \`labels\` — and \`data.sender\`, who did), \`conversation_resolved\`, \`message_created\` (\`data.message\` in the message shape,
\`data.conversation\` after it), \`message_updated\` (the same, after a message's \`content_attributes\` changed: a visitor's feedback on an
answer, the choice picked), \`sla_breached\` (console only) and \`typing\` (\`data: {typing, sender:{type,id,name}}\`; \`id\` is null: typing
is never stored or replayed). Keep the highest \`id\` seen to resume from.

Clients send \`{"type":"typing","conversation_id":N,"typing":true|false}\` (a console adds \`"private":true\` while writing a note: the
visitor does not see it) and may send \`{"type":"ping"}\` (answered \`{"type":"pong"}\`). Typing goes out at most once per sender and
conversation per NOVA_REALTIME_TYPING_INTERVAL_MS (1 s); changes in between are coalesced into the latest state, sent when the interval
ends, so the final \`typing:false\` always arrives (also when a typing socket closes). A client sending more than 30 frames in 10 s is
closed with 1008. The server pings every 30 s (NOVA_REALTIME_HEARTBEAT_MS) and closes a socket that did not answer the previous
ping; on shutdown sockets close with 1001. A console socket whose credential is revoked while it is open (password or role change,
removed user, revoked API key) is closed with 4401 at the next heartbeat; reconnecting then needs a new token.

Where WebSockets are blocked, \`GET /realtime/sse\` with the same query parameters (or \`Authorization\`, \`X-Conversation-Token\` and
\`Last-Event-ID\` headers) streams the same events as server-sent events: \`id:\`, \`event:\` (the type) and \`data:\` (the event JSON).`;
