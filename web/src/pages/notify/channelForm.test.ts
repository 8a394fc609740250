import { describe, expect, it } from 'vitest'
import { channelPayload, emptyForm, formFromChannel, needsAttention, stateCounts, validateForm, validateSchedule } from './channelForm'
import type { NotifyChannel } from './notifyApi'

const stored: NotifyChannel = {
  id: 3,
  name: '华东群机器人',
  kind: 'dingtalk',
  enabled: true,
  config: { format: 'markdown', endpoint: 'http://127.0.0.1:9000/robot/send' },
  secrets_set: ['access_token', 'sign_secret'],
  messages: { pending: 1, sending: 0, sent: 10, failed: 2, unknown: 1 },
  created_at: '2026-03-01T00:00:00Z',
  updated_at: '2026-03-01T00:00:00Z',
}

describe('channel form', () => {
  it('requires a name and the kind\'s required secret on create', () => {
    const form = emptyForm('wecom')
    expect(validateForm(form)).toEqual([
      { field: 'name', key: 'required' },
      { field: 'secrets.key', key: 'required' },
    ])
    form.name = '销售群'
    form.secrets.key = 'k-1'
    expect(validateForm(form)).toEqual([])
  })

  it('checks URLs and ports as the server does', () => {
    const webhook = { ...emptyForm('webhook'), name: 'hook', secrets: { signing_secret: 's' } }
    webhook.config.url = 'ftp://example.com'
    expect(validateForm(webhook)).toEqual([{ field: 'config.url', key: 'url' }])

    const smtp = { ...emptyForm('smtp'), name: 'mail' }
    smtp.config = { host: 'smtp.example.com', from: 'radar@example.com', port: 70000 }
    expect(validateForm(smtp)).toEqual([{ field: 'config.port', key: 'port' }])
  })

  it('keeps stored secrets on edit: they are neither required nor sent back', () => {
    const form = formFromChannel(stored)
    expect(form.secrets).toEqual({})
    expect(validateForm(form)).toEqual([])
    const payload = channelPayload(form)
    expect(payload.secrets).toBeUndefined()
    expect(payload.kind).toBeUndefined()
    expect(payload.config).toEqual({ format: 'markdown', endpoint: 'http://127.0.0.1:9000/robot/send' })
  })

  it('sends a typed secret and clears one the admin removed', () => {
    const form = formFromChannel(stored)
    form.secrets.access_token = 'new-token'
    expect(channelPayload(form, ['sign_secret']).secrets).toEqual({ access_token: 'new-token', sign_secret: null })
  })

  it('sends the kind and typed fields on create, the port as a number', () => {
    const form = { ...emptyForm('smtp'), name: ' 邮件 ' }
    form.config = { host: 'smtp.example.com', from: 'radar@example.com', port: '465', starttls: false, username: '' }
    form.secrets = { password: 'pw' }
    expect(channelPayload(form)).toEqual({
      name: '邮件',
      kind: 'smtp',
      enabled: true,
      config: { host: 'smtp.example.com', from: 'radar@example.com', port: 465, starttls: false },
      secrets: { password: 'pw' },
    })
  })
})

describe('channel list', () => {
  it('counts every state and what needs an admin', () => {
    expect(stateCounts({ messages: { sent: 4 } as NotifyChannel['messages'] })).toEqual({ pending: 0, sending: 0, sent: 4, failed: 0, unknown: 0 })
    expect(needsAttention(stored)).toBe(3)
  })
})

describe('digest schedule', () => {
  it('accepts weekday 1..7 and hour 0..23', () => {
    expect(validateSchedule(1, 0, 'Asia/Shanghai')).toEqual([])
    expect(validateSchedule(7, 23, 'UTC')).toEqual([])
  })

  it('names each field out of range', () => {
    expect(validateSchedule(0, 24, ' ')).toEqual([
      { field: 'digest_weekday', key: 'weekdayRange' },
      { field: 'digest_hour', key: 'hourRange' },
      { field: 'digest_time_zone', key: 'required' },
    ])
    expect(validateSchedule(8, 9.5, 'UTC').map((problem) => problem.field)).toEqual(['digest_weekday', 'digest_hour'])
  })
})
