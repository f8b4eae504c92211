import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import * as schemas from '../conversations/schemas.js';
import { openIdentitySecret } from '../domains/identity-secret.js';
import type { DomainRow } from '../domains/repo.js';
import { AppError } from '../errors.js';

/**
 * Identity validation, as Chatwoot's: a site that has signed a visitor in proves their e-mail to us with
 * `identifier_hash` = hex HMAC-SHA256 of the e-mail exactly as sent, keyed by the website's identity
 * secret (which only its own server and the console's admins ever see).
 */
export const identifierHash = (secret: string, email: string) => createHmac('sha256', secret).update(email).digest('hex');

/** The widget's contact: what the visitor typed, and the site's proof of the e-mail when it has one. */
export const widgetContactInput = schemas.contactInput
  .extend({
    identifier_hash: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'must be the hex HMAC-SHA256 of contact.email, keyed by the website identity secret')
      .optional()
      .describe(
        "hex HMAC-SHA256 of contact.email keyed by the website's identity secret (GET /nc-api/v1/account/domains/{id}/identity-validation); " +
          "computed by the site's server for a visitor it has signed in",
      ),
  })
  .refine((contact) => !contact.identifier_hash || Boolean(contact.email), {
    path: ['identifier_hash'],
    message: 'needs contact.email: it is the HMAC of the e-mail',
  });

/**
 * True when the site vouched for the e-mail with a valid hash; false when it sent none. A hash that does
 * not verify is a 401: a site sending one means to vouch, so a wrong one is a fault (a rotated secret, a
 * forgery) to report, not to pass over.
 */
export function isVouchedFor(
  identitySecretKey: Buffer,
  website: DomainRow,
  contact: z.infer<typeof widgetContactInput> | undefined,
): boolean {
  if (!contact?.identifier_hash || !contact.email) return false;
  const expected = Buffer.from(identifierHash(openIdentitySecret(identitySecretKey, website), contact.email), 'hex');
  const given = Buffer.from(contact.identifier_hash, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new AppError(
      401,
      'invalid_identifier_hash',
      "contact.identifier_hash is not the HMAC-SHA256 of contact.email with this website's identity secret.",
    );
  return true;
}
