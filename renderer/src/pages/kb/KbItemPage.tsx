import { Anchor, Grid, Paper, Title } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { Link, useParams } from 'react-router-dom';
import { getItem } from '../../api/kb.js';
import { useApiData } from '../../api/useApiData.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { notifySuccess } from '../../components/notify.js';
import { PageHeader } from '../../components/PageHeader.js';
import { LoadingState } from '../../components/states.js';
import { AlternateQuestions } from './AlternateQuestions.js';
import { ItemFields } from './ItemForm.js';

/** One knowledge base item: its answer, and the other ways customers ask for it. */
export default function KbItemPage() {
  const id = Number(useParams().itemId);
  const item = useApiData((signal) => getItem(id, signal), [id]);
  const back = (
    <Anchor component={Link} to="/kb" size="sm">
      <IconArrowLeft size={14} style={{ verticalAlign: 'middle' }} /> All items
    </Anchor>
  );
  if (item.error)
    return (
      <>
        {back}
        <ErrorAlert error={item.error} />
      </>
    );
  if (!item.data) return <LoadingState label="Loading the item…" />;
  const current = item.data;
  return (
    <>
      {back}
      <PageHeader title={current.title} description={current.category ?? undefined} />
      <Grid gutter="md">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Paper withBorder p="md">
            <Title order={3} size="h5" mb="sm">
              Answer
            </Title>
            <ItemFields
              key={current.updated_at}
              item={current}
              onSaved={(saved) => {
                notifySuccess('Item updated');
                item.setData(saved);
              }}
            />
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <AlternateQuestions item={current} onChange={(questions) => item.setData({ ...current, questions })} />
        </Grid.Col>
      </Grid>
    </>
  );
}
