// The menu entries. Each shows only to the roles listed on its route (see router/index.ts).
export interface NavItem {
  name: string // route name
  labelKey: string
  testId: string
}

export const NAV_ITEMS: NavItem[] = [
  { name: 'alerts', labelKey: 'nav.alerts', testId: 'nav-alerts' },
  { name: 'dashboard', labelKey: 'nav.dashboard', testId: 'nav-dashboard' },
  { name: 'pipeline', labelKey: 'nav.pipeline', testId: 'nav-pipeline' },
  { name: 'rules', labelKey: 'nav.rules', testId: 'nav-rules' },
  { name: 'import', labelKey: 'nav.import', testId: 'nav-import' },
  { name: 'audit', labelKey: 'nav.audit', testId: 'nav-audit' },
  { name: 'notify', labelKey: 'nav.notify', testId: 'nav-notify' },
]
