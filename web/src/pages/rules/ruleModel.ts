// The rule form's model and its conversion to and from the rule as it is written in a rule pack
// (docs/rules.md). Keys the form does not edit are kept, so that a round trip loses nothing.
import { dump, load } from 'js-yaml'
import type { Level } from '@/api/types'

export const RULE_KINDS = ['condition', 'absence', 'count', 'streak', 'threshold'] as const
export type RuleKind = (typeof RULE_KINDS)[number]
export const SUBJECT_TYPES = ['lead', 'opportunity', 'account', 'contract', 'visit', 'rep'] as const
export const RULE_LEVELS: Level[] = ['yellow', 'orange', 'red']
export const RECIPIENT_ROLES = ['owner', 'owner_manager'] as const
export const WINDOW_PATTERN = /^\d+\s*(m|h|d|workdays?|work_hours|work_minutes)$/

export interface Texts {
  zh: string
  en: string
}

export interface EscalationStep {
  after: string
  level: Level
}

export interface RuleDraft {
  id: string
  name: Texts
  description: Texts
  subject: string
  kind: RuleKind
  triggerEvents: string[]
  triggerCondition: string
  triggerSubjectId: string
  awaitedEvents: string[]
  awaitedCondition: string
  window: string
  countAtLeast: number
  streakLength: number
  streakCondition: string
  thresholdValue: string
  thresholdDirection: 'above' | 'below'
  thresholdLimit: number
  level: Level
  escalation: EscalationStep[]
  recipients: Record<Level, string[]>
  // Whether the YAML writes recipients per level even when only yellow has a list.
  recipientsByLevel: boolean
  ticketDepartment: string
  message: Texts
  // Keys of the rule that the form does not show, written back unchanged.
  extra: Record<string, unknown>
}

// A pack as parsed from YAML; only `pack`, `version` and `rules` are read here.
export interface PackDocument {
  pack: string
  version: number
  rules: Record<string, unknown>[]
  [key: string]: unknown
}

export function emptyDraft(): RuleDraft {
  return {
    id: '',
    name: { zh: '', en: '' },
    description: { zh: '', en: '' },
    subject: 'lead',
    kind: 'absence',
    triggerEvents: ['lead_created'],
    triggerCondition: '',
    triggerSubjectId: '',
    awaitedEvents: ['call_logged'],
    awaitedCondition: '',
    window: '48h',
    countAtLeast: 3,
    streakLength: 3,
    streakCondition: '',
    thresholdValue: '',
    thresholdDirection: 'above',
    thresholdLimit: 0.7,
    level: 'yellow',
    escalation: [],
    recipients: { yellow: ['owner'], orange: [], red: [] },
    recipientsByLevel: false,
    ticketDepartment: '',
    message: { zh: '', en: '' },
    extra: {},
  }
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
}

function asText(value: unknown): string {
  return value === undefined || value === null ? '' : String(value)
}

function asTexts(value: unknown): Texts {
  if (typeof value === 'string') return { zh: value, en: value }
  const record = asRecord(value)
  return { zh: asText(record.zh), en: asText(record.en) }
}

function asList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(asText).filter(Boolean)
  return value === undefined || value === null || value === '' ? [] : [asText(value)]
}

function asLevel(value: unknown): Level {
  return RULE_LEVELS.includes(value as Level) ? (value as Level) : 'yellow'
}

const FORM_KEYS = new Set([
  'id', 'name', 'description', 'subject', 'kind', 'trigger', 'awaited', 'window', 'count', 'streak',
  'threshold', 'level', 'escalation', 'recipients', 'ticket', 'message',
])

// Reads one rule of a pack into the form model.
export function draftFromRule(rule: Record<string, unknown>): RuleDraft {
  const draft = emptyDraft()
  const trigger = asRecord(rule.trigger)
  const awaited = asRecord(rule.awaited)
  const streak = asRecord(rule.streak)
  const threshold = asRecord(rule.threshold)

  draft.id = asText(rule.id)
  draft.name = asTexts(rule.name)
  draft.description = asTexts(rule.description)
  draft.subject = asText(rule.subject) || 'lead'
  draft.kind = RULE_KINDS.includes(rule.kind as RuleKind) ? (rule.kind as RuleKind) : 'condition'
  draft.triggerEvents = asList(trigger.event)
  draft.triggerCondition = asText(trigger.condition)
  draft.triggerSubjectId = asText(trigger.subject_id)
  draft.awaitedEvents = asList(awaited.event)
  draft.awaitedCondition = asText(awaited.condition)
  draft.window = asText(rule.window)
  draft.countAtLeast = Number(asRecord(rule.count).at_least ?? 3)
  draft.streakLength = Number(streak.length ?? 3)
  draft.streakCondition = asText(streak.condition)
  draft.thresholdValue = asText(threshold.value)
  draft.thresholdDirection = threshold.below !== undefined ? 'below' : 'above'
  draft.thresholdLimit = Number(threshold.below ?? threshold.above ?? 0.7)
  draft.level = asLevel(rule.level)
  draft.escalation = (Array.isArray(rule.escalation) ? rule.escalation : []).map((step) => {
    const record = asRecord(step)
    return { after: asText(record.after), level: asLevel(record.level) }
  })

  const recipients = rule.recipients
  draft.recipientsByLevel = !Array.isArray(recipients)
  draft.recipients = Array.isArray(recipients)
    ? { yellow: asList(recipients), orange: [], red: [] }
    : {
        yellow: asList(asRecord(recipients).yellow),
        orange: asList(asRecord(recipients).orange),
        red: asList(asRecord(recipients).red),
      }
  draft.ticketDepartment = asText(asRecord(rule.ticket).department)
  draft.message = asTexts(rule.message)
  draft.extra = Object.fromEntries(Object.entries(rule).filter(([key]) => !FORM_KEYS.has(key)))
  return draft
}

function texts(value: Texts): Texts | undefined {
  return value.zh || value.en ? { zh: value.zh, en: value.en } : undefined
}

function oneOrList(values: string[]): string | string[] {
  return values.length === 1 ? values[0] : [...values]
}

function withoutEmpty(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined && value !== ''))
}

function recipientsOf(draft: RuleDraft): unknown {
  const { yellow, orange, red } = draft.recipients
  if (!draft.recipientsByLevel && orange.length === 0 && red.length === 0) return [...yellow]
  return withoutEmpty({
    yellow: yellow.length ? [...yellow] : undefined,
    orange: orange.length ? [...orange] : undefined,
    red: red.length ? [...red] : undefined,
  })
}

function kindSections(draft: RuleDraft): Record<string, unknown> {
  switch (draft.kind) {
    case 'absence':
      return {
        awaited: withoutEmpty({ event: oneOrList(draft.awaitedEvents), condition: draft.awaitedCondition || undefined }),
        window: draft.window,
      }
    case 'count':
      return { window: draft.window, count: { at_least: draft.countAtLeast } }
    case 'streak':
      return { streak: withoutEmpty({ length: draft.streakLength, condition: draft.streakCondition || undefined }) }
    case 'threshold':
      return { threshold: { value: draft.thresholdValue, [draft.thresholdDirection]: draft.thresholdLimit } }
    case 'condition':
      return {}
  }
}

// Writes the form model as a rule of a pack, in the key order of docs/rules.md.
export function ruleFromDraft(draft: RuleDraft): Record<string, unknown> {
  const rule: Record<string, unknown> = {
    id: draft.id,
    name: texts(draft.name) ?? { zh: '', en: '' },
    description: texts(draft.description),
    subject: draft.subject,
    kind: draft.kind,
    trigger: withoutEmpty({
      event: oneOrList(draft.triggerEvents),
      condition: draft.triggerCondition || undefined,
      subject_id: draft.triggerSubjectId || undefined,
    }),
    ...kindSections(draft),
    level: draft.level,
    escalation: draft.escalation.length ? draft.escalation.map((step) => ({ ...step })) : undefined,
    ticket: draft.ticketDepartment ? { department: draft.ticketDepartment } : undefined,
    recipients: recipientsOf(draft),
    message: texts(draft.message) ?? { zh: '', en: '' },
    ...draft.extra,
  }
  return withoutEmpty(rule)
}

export function toYaml(value: unknown): string {
  return dump(value, { noRefs: true, lineWidth: 120 })
}

// Parses YAML text; throws the parser's error (with its line and column) when it is invalid.
export function fromYaml(text: string): unknown {
  return load(text)
}

export function parsePack(yaml: string): PackDocument {
  const record = asRecord(fromYaml(yaml))
  return {
    ...record,
    pack: asText(record.pack),
    version: Number(record.version ?? 0),
    rules: (Array.isArray(record.rules) ? record.rules : []).map(asRecord),
  }
}

// Returns the pack with `rule` replacing the rule of the same id (or added at the end) as the
// next version's YAML.
export function packWithRule(pack: PackDocument, rule: Record<string, unknown>, version: number): string {
  const rules = [...pack.rules]
  const index = rules.findIndex((existing) => existing.id === rule.id)
  if (index >= 0) rules[index] = rule
  else rules.push(rule)
  return toYaml({ ...pack, version, rules })
}

// The problems the form can find before the server checks the rule; keys are i18n keys.
export function localProblems(draft: RuleDraft): string[] {
  const problems: string[] = []
  if (!/^[a-z0-9_-]{1,64}$/.test(draft.id)) problems.push('rules.problemId')
  if (!draft.name.zh.trim() || !draft.name.en.trim()) problems.push('rules.problemName')
  if (draft.triggerEvents.length === 0) problems.push('rules.problemTrigger')
  if ((draft.kind === 'absence' || draft.kind === 'count') && !WINDOW_PATTERN.test(draft.window.trim())) {
    problems.push('rules.problemWindow')
  }
  if (draft.kind === 'absence' && draft.awaitedEvents.length === 0) problems.push('rules.problemAwaited')
  if (draft.escalation.some((step) => !WINDOW_PATTERN.test(step.after.trim()))) problems.push('rules.problemEscalation')
  if (Object.values(draft.recipients).every((list) => list.length === 0)) problems.push('rules.problemRecipients')
  if (!draft.message.zh.trim() || !draft.message.en.trim()) problems.push('rules.problemMessage')
  return problems
}
