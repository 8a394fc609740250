// The channel form's logic, apart from the page so that it can be tested: which settings and
// secrets each kind has, the checks the server makes too, and the request body. Secrets are
// write-only: the form starts them empty, an empty secret on edit keeps the stored one.
import type { ChannelInput, ChannelKind, MessageState, NotifyChannel } from './notifyApi'

export interface FieldSpec {
  name: string
  required: boolean
  kind: 'text' | 'url' | 'port' | 'boolean' | 'select'
  options?: string[]
}

export interface KindSpec {
  kind: ChannelKind
  config: FieldSpec[]
  secrets: FieldSpec[]
}

const endpoint: FieldSpec = { name: 'endpoint', required: false, kind: 'url' }

export const KIND_SPECS: Record<ChannelKind, KindSpec> = {
  wecom: {
    kind: 'wecom',
    config: [{ name: 'format', required: false, kind: 'select', options: ['markdown', 'text'] }, endpoint],
    secrets: [{ name: 'key', required: true, kind: 'text' }],
  },
  dingtalk: {
    kind: 'dingtalk',
    config: [{ name: 'format', required: false, kind: 'select', options: ['markdown', 'text', 'action_card'] }, endpoint],
    secrets: [
      { name: 'access_token', required: true, kind: 'text' },
      { name: 'sign_secret', required: false, kind: 'text' },
    ],
  },
  feishu: {
    kind: 'feishu',
    config: [{ name: 'format', required: false, kind: 'select', options: ['interactive', 'post', 'text'] }, endpoint],
    secrets: [
      { name: 'hook_token', required: true, kind: 'text' },
      { name: 'sign_secret', required: false, kind: 'text' },
    ],
  },
  smtp: {
    kind: 'smtp',
    config: [
      { name: 'host', required: true, kind: 'text' },
      { name: 'port', required: false, kind: 'port' },
      { name: 'from', required: true, kind: 'text' },
      { name: 'username', required: false, kind: 'text' },
      { name: 'starttls', required: false, kind: 'boolean' },
    ],
    secrets: [{ name: 'password', required: false, kind: 'text' }],
  },
  webhook: {
    kind: 'webhook',
    config: [{ name: 'url', required: true, kind: 'url' }],
    secrets: [{ name: 'signing_secret', required: true, kind: 'text' }],
  },
}

export const CHANNEL_KINDS = Object.keys(KIND_SPECS) as ChannelKind[]

export interface ChannelForm {
  id: number | null // null: a new channel
  name: string
  kind: ChannelKind
  enabled: boolean
  config: Record<string, string | number | boolean | undefined>
  secrets: Record<string, string> // typed in this time; '' keeps the stored value on edit
  secretsSet: string[] // names the server reports as set
}

export function emptyForm(kind: ChannelKind = 'wecom'): ChannelForm {
  return { id: null, name: '', kind, enabled: true, config: kind === 'smtp' ? { port: 587, starttls: true } : {}, secrets: {}, secretsSet: [] }
}

export function formFromChannel(channel: NotifyChannel): ChannelForm {
  const config: ChannelForm['config'] = {}
  for (const [key, value] of Object.entries(channel.config ?? {})) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') config[key] = value
  }
  return { id: channel.id, name: channel.name, kind: channel.kind, enabled: channel.enabled, config, secrets: {}, secretsSet: [...channel.secrets_set] }
}

// A problem with one field: `field` is "name", "config.<name>" or "secrets.<name>"; `key` is
// the message key under notify.validation.
export interface FieldProblem {
  field: string
  key: 'required' | 'url' | 'port' | 'nameLength'
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
}

export function validateForm(form: ChannelForm): FieldProblem[] {
  const problems: FieldProblem[] = []
  const name = form.name.trim()
  if (name === '') problems.push({ field: 'name', key: 'required' })
  else if (new TextEncoder().encode(name).length > 100) problems.push({ field: 'name', key: 'nameLength' })

  const spec = KIND_SPECS[form.kind]
  for (const field of spec.config) {
    const value = form.config[field.name]
    if (isBlank(value)) {
      if (field.required) problems.push({ field: `config.${field.name}`, key: 'required' })
      continue
    }
    if (field.kind === 'url' && !/^https?:\/\//.test(String(value))) problems.push({ field: `config.${field.name}`, key: 'url' })
    if (field.kind === 'port' && !(Number.isInteger(Number(value)) && Number(value) >= 1 && Number(value) <= 65535)) {
      problems.push({ field: `config.${field.name}`, key: 'port' })
    }
  }
  for (const field of spec.secrets) {
    const stored = form.secretsSet.includes(field.name)
    if (field.required && !stored && isBlank(form.secrets[field.name])) problems.push({ field: `secrets.${field.name}`, key: 'required' })
  }
  return problems
}

// The POST body for a new channel, or the PATCH body for an edit. Only secrets typed in are
// sent; on edit, `cleared` names stored secrets to remove.
export function channelPayload(form: ChannelForm, cleared: string[] = []): ChannelInput {
  const config: Record<string, unknown> = {}
  for (const field of KIND_SPECS[form.kind].config) {
    const value = form.config[field.name]
    if (isBlank(value)) continue
    if (field.kind === 'port') config[field.name] = Number(value)
    else if (typeof value === 'string') config[field.name] = value.trim()
    else config[field.name] = value
  }
  const secrets: Record<string, string | null> = {}
  for (const field of KIND_SPECS[form.kind].secrets) {
    const value = form.secrets[field.name]
    if (!isBlank(value)) secrets[field.name] = value
    else if (cleared.includes(field.name)) secrets[field.name] = null
  }

  const payload: ChannelInput = { name: form.name.trim(), enabled: form.enabled, config }
  if (form.id === null) payload.kind = form.kind
  if (Object.keys(secrets).length > 0) payload.secrets = secrets
  return payload
}

// The counts shown in the channel list: every state, 0 where the server sent none.
export function stateCounts(channel: Pick<NotifyChannel, 'messages'>): Record<MessageState, number> {
  const counts = { pending: 0, sending: 0, sent: 0, failed: 0, unknown: 0 }
  for (const state of Object.keys(counts) as MessageState[]) counts[state] = Number(channel.messages?.[state] ?? 0)
  return counts
}

// Failed plus unknown: the messages that need an admin.
export function needsAttention(channel: Pick<NotifyChannel, 'messages'>): number {
  const counts = stateCounts(channel)
  return counts.failed + counts.unknown
}

export interface ScheduleProblem {
  field: 'digest_weekday' | 'digest_hour' | 'digest_time_zone'
  key: 'weekdayRange' | 'hourRange' | 'required'
}

export function validateSchedule(weekday: number | null | undefined, hour: number | null | undefined, zone: string): ScheduleProblem[] {
  const problems: ScheduleProblem[] = []
  if (!Number.isInteger(weekday) || (weekday as number) < 1 || (weekday as number) > 7) problems.push({ field: 'digest_weekday', key: 'weekdayRange' })
  if (!Number.isInteger(hour) || (hour as number) < 0 || (hour as number) > 23) problems.push({ field: 'digest_hour', key: 'hourRange' })
  if (zone.trim() === '') problems.push({ field: 'digest_time_zone', key: 'required' })
  return problems
}
