import type { KbItemRow } from './repo.js';

export const presentItem = (item: KbItemRow) => ({
  id: item.id,
  title: item.title,
  content: item.content,
  category: item.category,
  tags: item.tags,
  created_at: item.created_at,
  updated_at: item.updated_at,
});
