/** The realtime protocol, for the API docs' introduction (it has no OpenAPI operation of its own). */
export const REALTIME_DOCS = `## Realtime (WebSocket and SSE)

Connect a WebSocket to \`/realtime\` on the same host:

- the widget: \`/realtime?website_token=wk_live_…&conversation_token=ct_…\` (only its own conversation's events, never private notes;
  a browser socket must come from the bound website's origin);
- the console or an integration: \`/realtime?access_token=<JWT or nc_live_ API key>\` (every event of the account).

Add \`&last_event_id=N\` after a reconnect: the server first sends every stored event after \`N\` the client may see, then live ones.
A refused upgrade answers 401 (credentials) or 403 (origin) before any WebSocket is opened.

Each server message is one JSON event: \`{"id","type","account_id","conversation_id","data","created_at"}\`, with \`type\` one of
\`conversation_created\`, \`conversation_updated\`, \`conversation_resolved\`, \`message_created\` (\`data.message\` in the message shape,
\`data.conversation\` after it), \`sla_breached\` (console only) and \`typing\` (\`data: {typing, sender:{type,id,name}}\`; \`id\` is null: typing
is never stored or replayed). Keep the highest \`id\` seen to resume from.

Clients send \`{"type":"typing","conversation_id":N,"typing":true|false}\` (a console adds \`"private":true\` while writing a note: the
visitor does not see it) and may send \`{"type":"ping"}\` (answered \`{"type":"pong"}\`). The server pings every 30 s
(NOVA_REALTIME_HEARTBEAT_MS) and closes a socket that did not answer the previous ping; on shutdown sockets close with 1001.

Where WebSockets are blocked, \`GET /realtime/sse\` with the same query parameters (or \`Authorization\`, \`X-Conversation-Token\` and
\`Last-Event-ID\` headers) streams the same events as server-sent events: \`id:\`, \`event:\` (the type) and \`data:\` (the event JSON).`;
