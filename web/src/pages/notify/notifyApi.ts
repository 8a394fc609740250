// /api/v1/notify: channels with write-only secrets, addresses of users and departments, the
// message rows (failures page) and the digest settings. Admins only.
import { api, segment } from '@/api/client'

export type ChannelKind = 'wecom' | 'dingtalk' | 'feishu' | 'smtp' | 'webhook'
export type MessageState = 'pending' | 'sending' | 'sent' | 'failed' | 'unknown'
export const MESSAGE_STATES: MessageState[] = ['pending', 'sending', 'sent', 'failed', 'unknown']

export interface NotifyChannel {
  id: number
  name: string
  kind: ChannelKind
  enabled: boolean
  config: Record<string, unknown>
  secrets_set: string[]
  messages: Record<MessageState, number>
  created_at: string
  updated_at: string
}

export interface ChannelInput {
  name?: string
  kind?: ChannelKind
  enabled?: boolean
  config?: Record<string, unknown>
  secrets?: Record<string, string | null>
}

export interface NotifyAddress {
  id?: number
  channel_id: number
  target: string
  locale: 'zh-CN' | 'en'
}

export interface NotifyMessage {
  id: number
  source: string
  channel_id: number
  target: string
  state: MessageState
  attempts: number
  last_error: string
  created_at: string
  sent_at: string | null
  body: { title?: string; text?: string } | null
}

export interface DigestSettings {
  digest_weekday: number
  digest_hour: number
  digest_time_zone: string
  configured: { digest_weekday: number; digest_hour: number; digest_time_zone: string }
}

export interface TestOutcome {
  sent: boolean
  error: string | null
}

interface Page<T> {
  items: T[]
  next_cursor: string | null
}

export interface UserOption {
  id: number
  display_name: string
  login: string | null
}

export async function listChannels(signal?: AbortSignal): Promise<NotifyChannel[]> {
  return (await api.get<Page<NotifyChannel>>('/notify/channels', undefined, signal)).items
}

export const createChannel = (input: ChannelInput) => api.post<NotifyChannel>('/notify/channels', input)
export const updateChannel = (id: number, input: ChannelInput) => api.patch<NotifyChannel>(`/notify/channels/${id}`, input)
export const deleteChannel = (id: number) => api.delete<void>(`/notify/channels/${id}`)
export const testChannel = (id: number, target?: string) =>
  api.post<TestOutcome>(`/notify/channels/${id}/test`, target ? { target } : {})

export function addressPath(owner: { kind: 'user' | 'department'; id: string }): string {
  return owner.kind === 'user' ? `/notify/addresses/users/${segment(owner.id)}` : `/notify/addresses/departments/${segment(owner.id)}`
}

export async function getAddresses(owner: { kind: 'user' | 'department'; id: string }): Promise<NotifyAddress[]> {
  return (await api.get<Page<NotifyAddress>>(addressPath(owner))).items
}

export async function putAddresses(owner: { kind: 'user' | 'department'; id: string }, items: NotifyAddress[]): Promise<NotifyAddress[]> {
  const body = { items: items.map(({ channel_id, target, locale }) => ({ channel_id, target, locale })) }
  return (await api.put<Page<NotifyAddress>>(addressPath(owner), body)).items
}

export async function listMessages(state: MessageState, channelId: number | null, cursor: string | null): Promise<Page<NotifyMessage>> {
  return api.get<Page<NotifyMessage>>('/notify/messages', { state, channel_id: channelId ?? undefined, cursor, limit: 50 })
}

export const resendMessage = (id: number) => api.post<void>(`/notify/messages/${id}/resend`)

export const getSettings = (signal?: AbortSignal) => api.get<DigestSettings>('/notify/settings', undefined, signal)
export const putSettings = (change: Partial<Record<'digest_weekday' | 'digest_hour' | 'digest_time_zone', number | string | null>>) =>
  api.put<DigestSettings>('/notify/settings', change)

export async function listUsers(): Promise<UserOption[]> {
  return (await api.get<Page<UserOption>>('/users', { limit: 500 })).items
}

export async function listDepartments(): Promise<string[]> {
  const units = (await api.get<Page<{ name: string }>>('/org-units', { limit: 500 })).items
  return [...new Set(units.map((unit) => unit.name))]
}
