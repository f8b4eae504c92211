import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { useAuth } from './auth/AuthContext.js';
import { ErrorBoundary } from './components/ErrorBoundary.js';
import { LoadingState } from './components/states.js';
import { Shell } from './layout/Shell.js';
import { AuthPage } from './pages/auth/AuthPage.js';

// Each page is its own chunk: the sign-in screen loads without the inbox or the KB tools.
const InboxPage = lazy(() => import('./pages/inbox/InboxPage.js'));
const ContactsPage = lazy(() => import('./pages/contacts/ContactsPage.js'));
const ContactPage = lazy(() => import('./pages/contacts/ContactPage.js'));
const KbPage = lazy(() => import('./pages/kb/KbPage.js'));
const KbItemPage = lazy(() => import('./pages/kb/KbItemPage.js'));
const ReportsPage = lazy(() => import('./pages/reports/ReportsPage.js'));
const AiReportPage = lazy(() => import('./pages/reports/AiReportPage.js'));
const AgentsPage = lazy(() => import('./pages/agents/AgentsPage.js'));
const WebsitesPage = lazy(() => import('./pages/websites/WebsitesPage.js'));
const TeamPage = lazy(() => import('./pages/team/TeamPage.js'));
const ApiKeysPage = lazy(() => import('./pages/api-keys/ApiKeysPage.js'));
const WebhooksPage = lazy(() => import('./pages/webhooks/WebhooksPage.js'));
const BackupsPage = lazy(() => import('./pages/backups/BackupsPage.js'));
const CannedResponsesPage = lazy(() => import('./pages/canned-responses/CannedResponsesPage.js'));
const LabelsPage = lazy(() => import('./pages/labels/LabelsPage.js'));
const SlaPage = lazy(() => import('./pages/sla/SlaPage.js'));
const AccountPage = lazy(() => import('./pages/account/AccountPage.js'));
const OnboardingPage = lazy(() => import('./pages/onboarding/OnboardingPage.js'));

export function App() {
  const { me, loading } = useAuth();
  const location = useLocation();
  if (loading) return <LoadingState label="Opening Nova Chat…" />;
  if (!me) {
    return (
      <Routes>
        <Route path="/login" element={<AuthPage mode="login" />} />
        <Route path="/signup" element={<AuthPage mode="signup" />} />
        <Route path="*" element={<Navigate to="/login" replace state={{ from: location.pathname }} />} />
      </Routes>
    );
  }
  return (
    <Shell>
      <ErrorBoundary resetKey={location.pathname}>
        <Suspense fallback={<LoadingState />}>
          <Routes>
            <Route path="/" element={<Navigate to="/inbox" replace />} />
            <Route path="/login" element={<Navigate to="/inbox" replace />} />
            <Route path="/signup" element={<Navigate to="/onboarding" replace />} />
            <Route path="/onboarding" element={<OnboardingPage />} />
            <Route path="/inbox" element={<InboxPage />} />
            <Route path="/inbox/:conversationId" element={<InboxPage />} />
            <Route path="/contacts" element={<ContactsPage />} />
            <Route path="/contacts/:contactId" element={<ContactPage />} />
            <Route path="/kb" element={<KbPage />} />
            <Route path="/kb/items/:itemId" element={<KbItemPage />} />
            <Route path="/reports" element={<ReportsPage />} />
            <Route path="/reports/ai" element={<AiReportPage />} />
            <Route path="/agents" element={<AgentsPage />} />
            <Route path="/settings" element={<Navigate to="/settings/websites" replace />} />
            <Route path="/settings/websites" element={<WebsitesPage />} />
            <Route path="/settings/team" element={<TeamPage />} />
            <Route path="/settings/api-keys" element={<ApiKeysPage />} />
            <Route path="/settings/webhooks" element={<WebhooksPage />} />
            <Route path="/backups" element={<BackupsPage />} />
            <Route path="/settings/canned-responses" element={<CannedResponsesPage />} />
            <Route path="/settings/labels" element={<LabelsPage />} />
            <Route path="/sla" element={<SlaPage />} />
            <Route path="/account" element={<AccountPage />} />
            <Route path="*" element={<Navigate to="/inbox" replace />} />
          </Routes>
        </Suspense>
      </ErrorBoundary>
    </Shell>
  );
}
