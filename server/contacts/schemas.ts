import { z } from 'zod';
import { conversationSummarySchema } from '../conversations/schemas.js';
import { listResponse, paginationQuery, text } from '../validation.js';

export const contactsQuery = paginationQuery.extend({
  q: z.string().trim().max(200).optional().describe('only contacts whose name or e-mail contains this text (case-insensitive)'),
});

export const updateContactBody = z.object({
  name: z.union([text(200), z.null()]).optional(),
  email: z
    .union([z.email().max(320), z.null()])
    .optional()
    .describe('stored lower-cased'),
  notes: z
    .union([z.string().max(10_000), z.null()])
    .optional()
    .describe("the team's notes on the contact (agents only)"),
});

export const contactSchema = z.object({
  id: z.number().int(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  verified: z
    .boolean()
    .describe(
      'true when the website vouched for the e-mail (a valid identifier_hash) or an agent chose this contact; false: anybody could have typed it',
    ),
  notes: z.string().nullable(),
  created_at: z.string(),
  conversations_count: z.number().int(),
  last_activity_at: z.string().nullable().describe('when any of their conversations last had a message'),
});

export const contactList = listResponse(contactSchema);

/** The most recent conversations a contact's page lists. */
export const CONTACT_CONVERSATIONS = 50;

export const contactWithConversationsSchema = contactSchema.extend({
  conversations: z
    .array(conversationSummarySchema)
    .describe(
      `their conversations, newest activity first (the latest ${CONTACT_CONVERSATIONS}; \`GET /nc-api/v1/contacts/:id/conversations\` pages through all)`,
    ),
});
