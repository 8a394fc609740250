import { mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { describe, expect, it } from 'vitest'
import { i18n } from '@/i18n'
import { normalizeAlert } from '@/api/types'
import AlertCard from './AlertCard.vue'

const router = createRouter({
  history: createMemoryHistory(),
  routes: [
    { path: '/', component: { template: '<div />' } },
    { path: '/opportunities/external/:externalId', name: 'opportunity-external', component: { template: '<div />' } },
  ],
})

function mountCard(overrides: Record<string, unknown>) {
  const alert = normalizeAlert(
    {
      id: 'sales/quote@1/opportunity/42/ev-9',
      rule_id: 'quote',
      rule_name: { zh: '报价缺少合规声明', en: 'Quote without compliance statement' },
      level: 'red',
      status: 'open',
      subject: { type: 'opportunity', id: 'OPP-42', name: 'CT 设备采购' },
      owner: { external_id: 'U7', user_id: 7, name: '王磊' },
      history_count: 2,
      message: { zh: '报价 60 万元缺少合规声明', en: 'A quote of 600,000 yuan lacks the statement' },
      raised_at: '2026-12-04T02:00:00Z',
      ...overrides,
    },
    'zh-CN',
  )
  return mount(AlertCard, {
    props: { alert, busy: false, fresh: false },
    global: { plugins: [createPinia(), i18n, router] },
  })
}

describe('AlertCard', () => {
  it('shows level, message, Beijing time and subject link', () => {
    const card = mountCard({})

    expect(card.attributes('data-level')).toBe('red')
    expect(card.classes()).toContain('sr-level-red')
    expect(card.get('[data-testid="alert-message"]').text()).toBe('报价 60 万元缺少合规声明')
    expect(card.text()).toContain('2026-12-04 10:00')
    expect(card.get('[data-testid="alert-subject-link"]').attributes('href')).toBe('/opportunities/external/OPP-42?name=CT+%E8%AE%BE%E5%A4%87%E9%87%87%E8%B4%AD')
    expect(card.get('[data-testid="alert-owner"]').text()).toBe('王磊')
  })

  it('offers all three actions on an open alert', () => {
    const card = mountCard({})

    expect(card.find('[data-testid="alert-acknowledge"]').exists()).toBe(true)
    expect(card.find('[data-testid="alert-snooze"]').exists()).toBe(true)
    expect(card.find('[data-testid="alert-resolve"]').exists()).toBe(true)
  })

  it('hides acknowledge once acknowledged', () => {
    const card = mountCard({ status: 'acknowledged' })

    expect(card.find('[data-testid="alert-acknowledge"]').exists()).toBe(false)
    expect(card.find('[data-testid="alert-resolve"]').exists()).toBe(true)
  })

  it('offers no actions on a resolved alert', () => {
    const card = mountCard({ status: 'resolved_by_person', resolved_at: '2026-12-04T03:00:00Z' })

    expect(card.find('[data-testid="alert-snooze"]').exists()).toBe(false)
    expect(card.find('[data-testid="alert-resolve"]').exists()).toBe(false)
    expect(card.text()).toContain('解决于 2026-12-04 11:00')
  })

  it('emits the chosen action', async () => {
    const card = mountCard({})
    await card.get('[data-testid="alert-snooze"]').trigger('click')

    expect(card.emitted('snooze')).toHaveLength(1)
  })
})
