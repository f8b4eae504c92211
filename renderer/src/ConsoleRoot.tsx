import { createTheme, localStorageColorSchemeManager, MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { BrowserRouter } from 'react-router-dom';
import { App } from './App.js';
import { AuthProvider } from './auth/AuthContext.js';

const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'md',
  fontFamily: 'Inter, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  headings: { fontWeight: '650' },
});

const colorSchemeManager = localStorageColorSchemeManager({ key: 'nova.console.color-scheme' });

/**
 * The whole console under `/app`: theme, toasts, routes and the signed-in user. The component tests render
 * it with `env="test"`, Mantine's switch that drops transitions and portals (jsdom runs no CSS transitions).
 */
export function ConsoleRoot({ env }: { env?: 'test' }) {
  return (
    <MantineProvider theme={theme} defaultColorScheme="auto" colorSchemeManager={colorSchemeManager} env={env}>
      {/* Top centre sits over the empty middle of the header, never over a page action. */}
      <Notifications position="top-center" />
      <BrowserRouter basename="/app">
        <AuthProvider>
          <App />
        </AuthProvider>
      </BrowserRouter>
    </MantineProvider>
  );
}
