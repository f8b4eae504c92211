import { z } from 'zod';

export const attachmentSchema = z
  .object({
    id: z.number().int(),
    filename: z.string(),
    content_type: z
      .string()
      .describe('decided from the content: image/png, image/jpeg, image/gif, image/webp, application/pdf or text/plain'),
    size: z.number().int().describe('bytes'),
    url: z
      .string()
      .describe(
        'the file (a path on this server): with agent credentials on the management API, with the conversation token on the widget API',
      ),
    thumb_url: z.string().nullable().describe('for images, a JPEG thumbnail at most 480 px wide or high; null otherwise'),
  })
  .describe('A file sent with a message');
