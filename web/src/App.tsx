import { type ReactNode, Suspense } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { AuthProvider } from './auth/AuthProvider';
import { CHANGE_PASSWORD_PATH, LOGIN_PATH, RequireAuth } from './auth/RequireAuth';
import { ChangePasswordPage } from './surfaces/login/ChangePasswordPage';
import { LoginPage } from './surfaces/login/LoginPage';
import { SURFACES, type Surface } from './surfaces/registry';
import { HomePage } from './surfaces/shell/HomePage';
import { NotFoundPage } from './surfaces/shell/StatusPages';
import { Loading, ToastProvider } from './ui';
import { Shell } from './ui/layout/Shell';

function Lazy({ surface }: { surface: Surface }) {
  const Component = surface.component;
  return (
    <Suspense fallback={<Loading />}>
      <Component />
    </Suspense>
  );
}

function guarded(surface: Surface, element: ReactNode): ReactNode {
  return surface.public ? element : <RequireAuth permissions={surface.permissions}>{element}</RequireAuth>;
}

export function App() {
  const bare = SURFACES.filter((s) => s.layout === 'bare' || s.public);
  const inShell = SURFACES.filter((s) => !(s.layout === 'bare' || s.public));
  return (
    <ToastProvider>
      <AuthProvider>
        <BrowserRouter>
          <Routes>
            <Route path={LOGIN_PATH} element={<LoginPage />} />
            <Route
              path={CHANGE_PASSWORD_PATH}
              element={
                <RequireAuth>
                  <ChangePasswordPage />
                </RequireAuth>
              }
            />
            {bare.map((s) => (
              <Route key={s.id} path={`${s.path}/*`} element={guarded(s, <Lazy surface={s} />)} />
            ))}
            <Route
              element={
                <RequireAuth>
                  <Shell />
                </RequireAuth>
              }
            >
              <Route index element={<HomePage />} />
              {inShell.map((s) => (
                <Route key={s.id} path={`${s.path}/*`} element={guarded(s, <Lazy surface={s} />)} />
              ))}
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Routes>
        </BrowserRouter>
      </AuthProvider>
    </ToastProvider>
  );
}
