import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ConsoleRoot } from './ConsoleRoot.js';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConsoleRoot />
  </StrictMode>,
);
