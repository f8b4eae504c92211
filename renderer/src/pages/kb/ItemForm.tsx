import { Button, Group, Modal, Stack, TagsInput, Textarea, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { KbItem } from '../../api/types.js';
import { ErrorAlert, fieldError } from '../../components/ErrorAlert.js';
import { notifySuccess } from '../../components/notify.js';
import { createItem, updateItem } from './api.js';

type Props = { opened: boolean; item: KbItem | null; onClose: () => void; onSaved: (item: KbItem) => void };

/** Create (item null) or edit one Q&A item. */
export function ItemForm({ opened, item, onClose, onSaved }: Props) {
  const [title, setTitle] = useState('');
  const [content, setContent] = useState('');
  const [category, setCategory] = useState('');
  const [tags, setTags] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!opened) return;
    setTitle(item?.title ?? '');
    setContent(item?.content ?? '');
    setCategory(item?.category ?? '');
    setTags(item?.tags ?? []);
    setError(null);
  }, [opened, item]);

  async function save(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const input = { title, content, ...(category.trim() ? { category: category.trim() } : {}), tags };
      const saved = item ? await updateItem(item.id, input) : await createItem(input);
      notifySuccess(item ? 'Item updated' : 'Item added');
      onSaved(saved);
      onClose();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal opened={opened} onClose={onClose} title={item ? 'Edit item' : 'New knowledge base item'} size="lg">
      <form onSubmit={save} noValidate>
        <Stack>
          {error !== null && <ErrorAlert error={error} showFields={false} />}
          <TextInput
            label="Question / title"
            required
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
            error={fieldError(error, 'title')}
            data-autofocus
          />
          <Textarea
            label="Answer"
            required
            autosize
            minRows={4}
            maxRows={14}
            value={content}
            onChange={(e) => setContent(e.currentTarget.value)}
            error={fieldError(error, 'content')}
          />
          <Group grow align="flex-start">
            <TextInput
              label="Category"
              placeholder="After-sales"
              value={category}
              onChange={(e) => setCategory(e.currentTarget.value)}
              error={fieldError(error, 'category')}
            />
            <TagsInput label="Tags" placeholder="Type and press Enter" value={tags} onChange={setTags} error={fieldError(error, 'tags')} />
          </Group>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              {item ? 'Save changes' : 'Add item'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
