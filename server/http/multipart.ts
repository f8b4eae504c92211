import multer from 'multer';
import { z, type ZodType } from 'zod';
import { badRequest, tooLarge, validationFailed } from '../errors.js';
import { assertNoNul, validate } from '../validation.js';
import { assertIdentityEncoding } from './body.js';
import type { AppContext } from './route.js';

/** A file of a multipart body, as read into memory (bounded by the route's limits). */
export type UploadedFile = { fieldname: string; originalname: string; mimetype: string; size: number; buffer: Buffer };

export type FormLimits = { fileField: string; maxFiles: number; maxFileBytes: number };

/** The field names a form may send its files under: `attachments[]` as the contract says, or bare `attachments`. */
const acceptsField = (field: string, name: string) => name === field || name === `${field}[]`;

type JsonSchema = { properties?: Record<string, { type?: string | string[]; anyOf?: { type?: string }[] }> };

/** Form fields are strings: turn those the schema types as numbers or booleans into them, so one schema checks both forms. */
function coerceFields(schema: ZodType, fields: Record<string, string>): Record<string, unknown> {
  const properties = (z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema).properties ?? {};
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    const property = properties[name];
    const types = [property?.type, ...(property?.anyOf ?? []).map((t) => t.type)].flat();
    if ((types.includes('integer') || types.includes('number')) && /^-?\d+(\.\d+)?$/.test(value)) out[name] = Number(value);
    else if (types.includes('boolean') && (value === 'true' || value === 'false')) out[name] = value === 'true';
    else out[name] = value;
  }
  return out;
}

/**
 * Reads a multipart/form-data body: its fields validated by `schema` (strings coerced to the schema's
 * numbers and booleans) and its files, in memory. Too many files or one too large is a 413 and nothing is
 * kept; a file under another field name is a 422; a body that is not multipart at all is a 400.
 */
export async function readForm<B>(ctx: AppContext, schema: ZodType<B>, limits: FormLimits): Promise<{ body: B; files: UploadedFile[] }> {
  assertIdentityEncoding(ctx);
  const read = multer({
    storage: multer.memoryStorage(),
    // Past `files`, multer stops with LIMIT_FILE_COUNT: the 413 of too many files.
    limits: { fileSize: limits.maxFileBytes, files: limits.maxFiles, fields: 20, fieldSize: 1024 * 1024 },
  }).any();
  let files: UploadedFile[];
  let fields: Record<string, unknown>;
  try {
    [files, fields] = await new Promise<[UploadedFile[], Record<string, unknown>]>((resolve, reject) => {
      const req = ctx.req as typeof ctx.req & { files?: UploadedFile[]; body?: Record<string, unknown> };
      read(req as never, ctx.res as never, (err?: unknown) => (err ? reject(err) : resolve([req.files ?? [], req.body ?? {}])));
    });
  } catch (err) {
    const code = (err as { code?: string }).code;
    const max = { max_files: limits.maxFiles, max_file_bytes: limits.maxFileBytes };
    if (code === 'LIMIT_FILE_SIZE')
      throw tooLarge(`Each file may be at most ${formatBytes(limits.maxFileBytes)}.`, { field: (err as { field?: string }).field, ...max });
    if (code === 'LIMIT_FILE_COUNT') throw tooLarge(`A message may carry at most ${limits.maxFiles} files.`, max);
    if (code?.startsWith('LIMIT_')) throw tooLarge('The form has too many or too large fields.', max);
    throw badRequest('invalid_multipart', 'The multipart body could not be read.');
  }
  const stray = files.find((f) => !acceptsField(limits.fileField, f.fieldname));
  if (stray) throw validationFailed([{ field: stray.fieldname, message: `send files as ${limits.fileField}[]` }]);
  const text: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) {
    // A field sent twice arrives as an array: one value each is all a message has.
    if (typeof value !== 'string') throw validationFailed([{ field: name, message: 'send this field once' }]);
    text[name] = value;
  }
  assertNoNul(text);
  return { body: validate(schema, coerceFields(schema, text)), files };
}

export const formatBytes = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${Math.round(bytes / 1024)} KB`;
