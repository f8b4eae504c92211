import { Button, Group, Modal, Stack, TagsInput, Textarea, TextInput } from '@mantine/core';
import { isNotEmpty } from '@mantine/form';
import { createItem, updateItem } from '../../api/kb.js';
import type { KbItem } from '../../api/types.js';
import { FormErrorAlert, useApiForm } from '../../components/forms.js';
import { notifySuccess } from '../../components/notify.js';

type Props = { opened: boolean; item: KbItem | null; draftTitle?: string; onClose: () => void; onSaved: (item: KbItem) => void };

/** Create (item null, titled `draftTitle` when given) or edit one Q&A item. */
export function ItemForm({ opened, item, draftTitle, onClose, onSaved }: Props) {
  return (
    <Modal opened={opened} onClose={onClose} title={item ? 'Edit item' : 'New knowledge base item'} size="lg">
      {opened && (
        <ItemFields
          item={item}
          draftTitle={draftTitle}
          onCancel={onClose}
          onSaved={(saved) => {
            notifySuccess(item ? 'Item updated' : 'Item added');
            onSaved(saved);
            onClose();
          }}
        />
      )}
    </Modal>
  );
}

type FieldsProps = { item: KbItem | null; draftTitle?: string; onCancel?: () => void; onSaved: (item: KbItem) => void };

/** The item's fields as a form: in the new-item dialog, and on the item's own page. */
export function ItemFields({ item, draftTitle, onCancel, onSaved }: FieldsProps) {
  const apiForm = useApiForm({
    initialValues: {
      title: item?.title ?? draftTitle ?? '',
      content: item?.content ?? '',
      category: item?.category ?? '',
      tags: item?.tags ?? [],
    },
    validate: { title: isNotEmpty('Write the question'), content: isNotEmpty('Write the answer') },
    submit: ({ title, content, category, tags }) => {
      const input = { title, content, ...(category.trim() ? { category: category.trim() } : {}), tags };
      return item ? updateItem(item.id, input) : createItem(input);
    },
    onSaved,
  });
  const { form } = apiForm;

  return (
    <form onSubmit={apiForm.onSubmit} noValidate>
      <Stack>
        <FormErrorAlert form={apiForm} />
        <TextInput label="Question / title" required {...form.getInputProps('title')} data-autofocus />
        <Textarea label="Answer" required autosize minRows={4} maxRows={14} {...form.getInputProps('content')} />
        <Group grow align="flex-start">
          <TextInput label="Category" placeholder="After-sales" {...form.getInputProps('category')} />
          <TagsInput label="Tags" placeholder="Type and press Enter" {...form.getInputProps('tags')} />
        </Group>
        <Group justify="flex-end">
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
          )}
          <Button type="submit" loading={apiForm.busy}>
            {item ? 'Save changes' : 'Add item'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
