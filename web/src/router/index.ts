// Routes in history mode. Every route but /login needs a signed-in user, and `meta.roles` lists the
// roles that may open a page (absent: every role), and the server enforces the same rule.
import { createRouter, createWebHistory, type RouteComponent, type RouteRecordRaw } from 'vue-router'
import type { Role } from '@/api/types'
import { useSessionStore } from '@/stores/session'
import AppLayout from '@/layouts/AppLayout.vue'
import LoginPage from '@/pages/login/LoginPage.vue'

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean
    roles?: Role[]
    titleKey?: string
  }
}

// The admin pages (rules, import, audit, notify) live in their own folders. Until a page file exists the
// route shows PendingPage, so the app builds while those pages are written.
const adminPages = import.meta.glob('../pages/{rules,import,audit,notify}/*.vue')

function adminPage(path: string): () => Promise<RouteComponent> {
  const loader = adminPages[`../pages/${path}`]
  return (loader ?? (() => import('@/pages/shared/PendingPage.vue'))) as () => Promise<RouteComponent>
}

const MANAGERS: Role[] = ['manager', 'director', 'admin']
const ADMINS: Role[] = ['admin']

export const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: LoginPage, meta: { public: true, titleKey: 'login.title' } },
  {
    path: '/',
    component: AppLayout,
    children: [
      { path: '', redirect: { name: 'alerts' } },
      {
        path: 'alerts',
        name: 'alerts',
        component: () => import('@/pages/alerts/AlertsPage.vue'),
        meta: { titleKey: 'nav.alerts' },
      },
      {
        path: 'dashboard',
        name: 'dashboard',
        component: () => import('@/pages/dashboard/DashboardPage.vue'),
        meta: { titleKey: 'nav.dashboard', roles: [...MANAGERS, 'cs'] },
      },
      {
        path: 'pipeline',
        name: 'pipeline',
        component: () => import('@/pages/pipeline/PipelinePage.vue'),
        meta: { titleKey: 'nav.pipeline' },
      },
      {
        path: 'opportunities/external/:externalId',
        name: 'opportunity-external',
        component: () => import('@/pages/opportunity/OpportunityLookup.vue'),
        props: true,
        meta: { titleKey: 'opportunity.title' },
      },
      {
        path: 'opportunities/:id',
        name: 'opportunity',
        component: () => import('@/pages/opportunity/OpportunityPage.vue'),
        props: true,
        meta: { titleKey: 'opportunity.title' },
      },
      { path: 'rules', name: 'rules', component: adminPage('rules/RulesPage.vue'), meta: { titleKey: 'nav.rules', roles: ADMINS } },
      {
        path: 'rules/:packId',
        name: 'rule-pack',
        component: adminPage('rules/RulePackPage.vue'),
        props: true,
        meta: { titleKey: 'nav.rules', roles: ADMINS },
      },
      { path: 'import', name: 'import', component: adminPage('import/ImportPage.vue'), meta: { titleKey: 'nav.import', roles: ADMINS } },
      { path: 'audit', name: 'audit', component: adminPage('audit/AuditPage.vue'), meta: { titleKey: 'nav.audit', roles: ADMINS } },
      { path: 'notify', name: 'notify', component: adminPage('notify/NotifyPage.vue'), meta: { titleKey: 'nav.notify', roles: ADMINS } },
      {
        path: ':pathMatch(.*)*',
        name: 'not-found',
        component: () => import('@/pages/shared/NotFoundPage.vue'),
        meta: { titleKey: 'app.notFound' },
      },
    ],
  },
]

export const router = createRouter({ history: createWebHistory(), routes })

router.beforeEach(async (to) => {
  const session = useSessionStore()
  if (to.meta.public) return true

  try {
    await session.ensureLoaded()
  } catch {
    // The server is unreachable: let the page load and show its own error state.
    return true
  }
  if (!session.me) return { name: 'login', query: { redirect: to.fullPath } }

  const roles = to.meta.roles
  if (roles && !roles.includes(session.me.role)) return { name: 'alerts' }
  return true
})
