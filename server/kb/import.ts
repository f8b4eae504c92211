import path from 'node:path';
import multer from 'multer';
import { CsvError, parse as parseCsv } from 'csv-parse/sync';
import { AppError, badRequest, tooLarge, validationFailed, type FieldError } from '../errors.js';
import { nulFields, zodToFieldErrors } from '../validation.js';
import { assertIdentityEncoding, parseJson, readBodyText } from '../http/body.js';
import type { AppContext } from '../http/route.js';
import type { NewKbItem } from './repo.js';
import { importRow } from './schemas.js';

/** Import bodies may be far larger than ordinary JSON calls (500 long answers). */
export const IMPORT_BODY_LIMIT_BYTES = 10 * 1024 * 1024;
/** Past this many bad rows a 422 stops listing them. */
const MAX_REPORTED_ERRORS = 100;

/** Rows as read from the request, before validation, each with the label a 422 uses to name it. */
export type ImportRows = { rows: unknown[]; labelOf: (index: number) => string };

const jsonLabel = (index: number) => `items[${index}]`;
/** Spreadsheet numbering: the header is row 1, so the first data row is row 2. */
const csvLabel = (index: number) => `row ${index + 2}`;

/** A JSON array, or `{items:[…]}` (what exports of other FAQ tools usually look like). */
export function rowsFromJson(text: string): ImportRows {
  const value = parseJson(text);
  const rows = Array.isArray(value) ? value : (value as { items?: unknown } | null)?.items;
  if (!Array.isArray(rows))
    throw validationFailed([{ field: '(body)', message: 'must be a JSON array of items or an object {"items":[…]}' }]);
  return { rows, labelOf: jsonLabel };
}

const CSV_COLUMNS: Record<string, string> = {
  question: 'question',
  title: 'question',
  answer: 'answer',
  content: 'answer',
  category: 'category',
  tags: 'tags',
  questions: 'questions',
};

/** CSV with a header row naming `question,answer,category,tags,questions` (or `title,content,…`; questions `|`-separated); other columns are ignored. */
export function rowsFromCsv(input: string | Buffer): ImportRows {
  let records: Record<string, string>[];
  let columns: (string | false)[] = [];
  try {
    records = parseCsv(input, {
      bom: true,
      columns: (header: string[]) => (columns = header.map((name) => CSV_COLUMNS[name.trim().toLowerCase()] ?? false)),
      skip_empty_lines: true,
      trim: true,
      // Hand-written files put quotes inside unquoted fields (`What does "express" mean?`); take them literally.
      relax_quotes: true,
    }) as Record<string, string>[];
  } catch (err) {
    if (err instanceof CsvError) throw validationFailed([{ field: 'csv', message: `The CSV file could not be read: ${err.message}` }]);
    throw err;
  }
  if (!columns.includes('question') || !columns.includes('answer'))
    throw validationFailed([
      { field: 'csv', message: 'the first line must be a header naming the columns question,answer,category,tags,questions' },
    ]);
  const rows = records.map((record) => ({
    question: record.question || undefined,
    answer: record.answer || undefined,
    category: record.category || undefined,
    tags: record.tags || undefined,
    questions: record.questions
      ? record.questions
          .split('|')
          .map((q) => q.trim())
          .filter(Boolean)
      : undefined,
  }));
  return { rows, labelOf: csvLabel };
}

const acceptAny = multer({ storage: multer.memoryStorage(), limits: { fileSize: IMPORT_BODY_LIMIT_BYTES, files: 1, fields: 20 } }).any();

type UploadedFile = { originalname: string; mimetype: string; buffer: Buffer };

async function rowsFromUpload(ctx: AppContext): Promise<ImportRows> {
  assertIdentityEncoding(ctx);
  let files: UploadedFile[];
  try {
    // multer itself rather than @koa/multer, whose typings widen every Koa context with `file`/`files`.
    files = await new Promise<UploadedFile[]>((resolve, reject) => {
      const req = ctx.req as typeof ctx.req & { files?: UploadedFile[] };
      acceptAny(req as never, ctx.res as never, (err?: unknown) => (err ? reject(err) : resolve(req.files ?? [])));
    });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'LIMIT_FILE_SIZE') throw tooLarge(`The file is larger than ${IMPORT_BODY_LIMIT_BYTES / 1024 / 1024} MB.`);
    if (code?.startsWith('LIMIT_')) throw validationFailed([{ field: 'file', message: 'send exactly one file' }]);
    throw badRequest('invalid_multipart', 'The multipart body could not be read.');
  }
  const file = files[0];
  if (!file) throw validationFailed([{ field: 'file', message: 'attach a .json or .csv file' }]);
  const extension = path.extname(file.originalname).toLowerCase();
  if (/csv/.test(file.mimetype) || extension === '.csv') return rowsFromCsv(file.buffer);
  if (/json/.test(file.mimetype) || extension === '.json') return rowsFromJson(file.buffer.toString('utf8'));
  throw new AppError(415, 'unsupported_media_type', 'Upload a .json or .csv file.');
}

/** Reads an import request in whichever form it came: multipart upload, CSV text or JSON. */
export async function readImportRows(ctx: AppContext, accept: { csv: boolean; multipart: boolean }): Promise<ImportRows> {
  if (accept.multipart && ctx.is('multipart')) return rowsFromUpload(ctx);
  const raw = await readBodyText(ctx, IMPORT_BODY_LIMIT_BYTES);
  if (accept.csv && ctx.is('text/csv', 'application/csv', 'text/comma-separated-values')) return rowsFromCsv(raw);
  return rowsFromJson(raw);
}

/**
 * Validates every row (all of them, so one 422 names every bad row) and maps `{question,answer}` to
 * `{title,content}`. Over `maxRows` is a 413 before anything is looked at.
 */
export function validateRows({ rows, labelOf }: ImportRows, maxRows: number): NewKbItem[] {
  if (rows.length > maxRows)
    throw tooLarge(`A batch may hold at most ${maxRows} items; this one has ${rows.length}. Split it into smaller batches.`, {
      max: maxRows,
      received: rows.length,
    });
  if (rows.length === 0) throw validationFailed([{ field: '(body)', message: 'the batch holds no items' }]);
  const items: NewKbItem[] = [];
  const errors: FieldError[] = [];
  rows.forEach((row, index) => {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      errors.push({ field: labelOf(index), message: 'must be an object with title and content (or question and answer)' });
      return;
    }
    const r = row as Record<string, unknown>;
    // The same rule as every JSON route (PostgreSQL cannot store NUL), named by row like the other errors.
    const withNul = nulFields(r, [labelOf(index)]);
    if (withNul.length) {
      errors.push(...withNul.map((field) => ({ field, message: 'must not contain NUL characters' })));
      return;
    }
    const candidate = {
      title: r.title ?? r.question,
      content: r.content ?? r.answer,
      category: r.category ?? undefined,
      tags: r.tags ?? undefined,
      questions: r.questions ?? undefined,
    };
    const result = importRow.safeParse(candidate);
    if (result.success) {
      const { title, content, category, tags, questions } = result.data;
      items.push({ title, content, category: category ?? null, tags: tags ?? [], questions: questions ?? [] });
    } else {
      // Name the fields as the row spelled them: `question`/`answer` rows get errors about those.
      const names: Record<string, string> = {
        title: r.title === undefined && 'question' in r ? 'question' : 'title',
        content: r.content === undefined && 'answer' in r ? 'answer' : 'content',
      };
      for (const e of zodToFieldErrors(result.error)) {
        const [head, ...rest] = e.field.split('.');
        errors.push({ field: [labelOf(index), names[head!] ?? head, ...rest].join('.'), message: e.message });
      }
    }
  });
  if (errors.length) {
    const shown = errors.slice(0, MAX_REPORTED_ERRORS);
    const rowsNamed = [...new Set(shown.map((e) => e.field.split('.')[0]))];
    throw new AppError(
      422,
      'validation_failed',
      `Nothing was imported: fix ${rowsNamed.slice(0, 10).join(', ')}${rowsNamed.length > 10 ? ', …' : ''}.`,
      shown,
    );
  }
  return items;
}
