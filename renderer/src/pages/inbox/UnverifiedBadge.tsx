import { Badge, Tooltip } from '@mantine/core';
import type { Contact } from '../../api/types.js';

/** A contact whose e-mail nobody vouched for (no valid identifier_hash from the website): anyone could have typed it. */
export function UnverifiedBadge({ contact }: { contact: Pick<Contact, 'email' | 'verified'> | undefined }) {
  if (!contact?.email || contact.verified) return null;
  return (
    <Tooltip label="The website did not prove this e-mail (identity validation): anyone could have typed it." withArrow multiline w={260}>
      <Badge size="xs" color="yellow" variant="light" data-testid="unverified-badge">
        unverified e-mail
      </Badge>
    </Tooltip>
  );
}
