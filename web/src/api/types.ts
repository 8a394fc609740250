// The API's JSON shapes as the pages use them, and the one place that maps server fields to them.
// Field names follow the API conventions (snake_case, RFC 3339 UTC times, money as
// {amount_fen, currency}). Where a route's shape was not settled when this was written, the
// normalize* function accepts the likely variants.
// TODO: recheck every normalize* against src/api/openapi/*.yaml once the routes are final.

export type Role = 'rep' | 'manager' | 'director' | 'cs' | 'admin'
export type Level = 'yellow' | 'orange' | 'red'
export type AlertStatus = 'open' | 'acknowledged' | 'snoozed' | 'resolved_by_person' | 'resolved_automatically'

export const LEVELS: Level[] = ['yellow', 'orange', 'red']
export const ALERT_STATUSES: AlertStatus[] = [
  'open',
  'acknowledged',
  'snoozed',
  'resolved_by_person',
  'resolved_automatically',
]

export interface Money {
  amount_fen: number
  currency: string
}

export interface Page<T> {
  items: T[]
  next_cursor: string | null
}

export interface User {
  id: number
  login: string
  display_name: string
  role: Role
  org_unit_id: number | null
  time_zone: string | null
}

export interface SignInResult {
  user: User
  csrf_token: string
}

export interface OrgUnit {
  id: number
  name: string
  type: string
  parent_id: number | null
}

export interface AlertHistoryEntry {
  sequence: number
  at: string
  actor: string
  action: string
  status: string
  level: Level
  note: string
  snoozed_until: string | null
}

export interface Alert {
  id: string
  pack_id: string
  rule_id: string
  rule_name: string
  kind: string
  level: Level
  status: AlertStatus
  subject_type: string
  subject_id: string // the subject's external id, as the events name it
  subject_name: string
  owner_user_id: number | null
  owner_name: string
  message: string
  raised_at: string
  created_at: string
  updated_at: string
  escalation_due_at: string | null
  snoozed_until: string | null
  resolved_at: string | null
  ticket_id: string
  history_count: number
}

// Query parameters of GET /api/v1/alerts. status: "unresolved" (the server's default),
// "resolved", "all" or status names, comma-separated; level: level names, comma-separated.
export interface AlertFilter {
  status?: string
  level?: string
  pack_id?: string
  rule_id?: string
  subject_type?: string
  subject_id?: string
  owner_id?: string
  from?: string
  to?: string
  sort?: string
  limit?: number
  cursor?: string
}

// A number in a report with the GET /api/v1/alerts query that lists the alerts behind it.
export interface CountLink {
  count: number
  filter: Record<string, string>
}

export interface RuleCount extends CountLink {
  pack_id: string
  rule_id: string
  name: string
}

export interface HealthWeek {
  week: string // ISO week, "2026-W49"
  start: string
  alerts: CountLink
  by_level: Record<Level, CountLink>
  by_rule: RuleCount[]
}

// The alert handling of a team or a rep. compliance_rate: the share of decided alerts that
// were acknowledged or resolved before their first escalation (0..1, null when none is decided).
export interface HandlingTally {
  alerts: CountLink
  open: CountLink
  overdue: CountLink
  acknowledged_within_sla: CountLink
  escalated_before_handling: number
  pending: number
  compliance_rate: number | null
}

export interface TeamHealth extends HandlingTally {
  team_id: number | null
  team_name: string
}

export interface RepHealth extends HandlingTally {
  user_id: number | null
  name: string
  team_id: number | null
  team_name: string
}

export interface TeamTopRules {
  team_id: number | null
  team_name: string
  week: string
  rules: RuleCount[]
}

export interface BehaviourHealthReport {
  from: string
  to: string
  team_id: number | null
  time_zone: string
  alerts: CountLink
  definitions: Record<string, string>
  weeks: HealthWeek[]
  teams: TeamHealth[]
  reps: RepHealth[]
  top_rules_this_week: TeamTopRules[]
}

export interface StageSummary {
  stage: string
  label: string
  count: number
  amounts: Money[] // one sum per currency; deals without an amount add to count only
}

export interface PipelineSummary {
  key: string
  name: string
  opportunities: number
  stages: StageSummary[]
  won: number
  lost: number
  win_rate: number | null // won / (won + lost)
  closed_with_dates: number
  average_days_to_close: number | null
  open: number
  stale: number
  won_below_list: number
}

export interface PipelineReport {
  as_of: string
  total: PipelineSummary
  groups: PipelineSummary[]
}

// Query parameters of GET /api/v1/reports/pipeline: org unit, user and product ids, and the
// engage-date period as YYYY-MM-DD.
export interface PipelineFilter {
  team?: string
  region?: string
  rep?: string
  product?: string
  from?: string
  to?: string
  as_of?: string
}

export interface CustomFieldValue {
  name: string
  label: string
  type: string
  value: unknown
}

export interface Opportunity {
  id: number
  external_id: string
  name: string
  stage: string
  amount: Money | null
  owner_id: number | null
  owner_name: string
  account_id: number | null
  account_name: string
  product_id: number | null
  product_name: string
  engage_date: string | null
  close_date: string | null
  custom_fields: CustomFieldValue[]
  updated_at: string | null
}

export type TimelineKind = 'activity' | 'stage_change' | 'alert'

export interface TimelineEntry {
  kind: TimelineKind
  at: string
  title: string
  text: string
  actor: string
  level: Level | null
  alert_id: string | null
  activity_type: string | null
  from_stage: string | null
  to_stage: string | null
}

// ---- normalization ----------------------------------------------------------------------------

type Raw = Record<string, unknown>

function asRecord(value: unknown): Raw {
  return value && typeof value === 'object' ? (value as Raw) : {}
}

function str(value: unknown, fallback = ''): string {
  if (value === null || value === undefined) return fallback
  return String(value)
}

function strOrNull(value: unknown): string | null {
  return value === null || value === undefined || value === '' ? null : String(value)
}

function num(value: unknown, fallback = 0): number {
  const parsed = typeof value === 'number' ? value : Number(value)
  return Number.isFinite(parsed) ? parsed : fallback
}

function numOrNull(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null
  const parsed = Number(value)
  return Number.isFinite(parsed) ? parsed : null
}

// Picks the text for `locale` from a string or a {zh, en} pair.
export function localizedText(value: unknown, locale: string): string {
  if (typeof value === 'string') return value
  const pair = asRecord(value)
  const zh = str(pair.zh ?? pair['zh-CN'])
  const en = str(pair.en)
  return locale.startsWith('en') ? en || zh : zh || en
}

export function normalizeMoney(value: unknown): Money | null {
  if (value === null || value === undefined) return null
  if (typeof value === 'number') return { amount_fen: value, currency: 'CNY' }
  const raw = asRecord(value)
  if (raw.amount_fen === undefined) return null
  return { amount_fen: num(raw.amount_fen), currency: str(raw.currency, 'CNY') }
}

function level(value: unknown): Level {
  const text = str(value)
  return (LEVELS as string[]).includes(text) ? (text as Level) : 'yellow'
}

export function normalizeUser(value: unknown): User {
  const raw = asRecord(value)
  return {
    id: num(raw.id),
    login: str(raw.login),
    display_name: str(raw.display_name ?? raw.name ?? raw.login),
    role: str(raw.role, 'rep') as Role,
    org_unit_id: numOrNull(raw.org_unit_id ?? raw.org_unit),
    time_zone: strOrNull(raw.time_zone ?? raw.timezone),
  }
}

export function normalizeOrgUnit(value: unknown): OrgUnit {
  const raw = asRecord(value)
  return {
    id: num(raw.id),
    name: str(raw.name),
    type: str(raw.type),
    parent_id: numOrNull(raw.parent_id ?? raw.parent),
  }
}

export function normalizeHistoryEntry(value: unknown): AlertHistoryEntry {
  const raw = asRecord(value)
  return {
    sequence: num(raw.sequence),
    at: str(raw.at),
    actor: str(raw.actor),
    action: str(raw.action),
    status: str(raw.status),
    level: level(raw.level),
    note: str(raw.note),
    snoozed_until: strOrNull(raw.snoozed_until),
  }
}

export function normalizeAlert(value: unknown, locale: string): Alert {
  const raw = asRecord(value)
  const subject = asRecord(raw.subject)
  const owner = asRecord(raw.owner)
  return {
    id: str(raw.id),
    pack_id: str(raw.pack_id),
    rule_id: str(raw.rule_id),
    rule_name: localizedText(raw.rule_name ?? '', locale) || str(raw.rule_id),
    kind: str(raw.kind),
    level: level(raw.level),
    status: str(raw.status, 'open') as AlertStatus,
    subject_type: str(subject.type ?? raw.subject_type),
    subject_id: str(subject.id ?? raw.subject_id),
    subject_name: str(subject.name ?? raw.subject_name),
    owner_user_id: numOrNull(owner.user_id),
    owner_name: str(owner.name),
    message: localizedText(raw.message, locale),
    raised_at: str(raw.raised_at),
    created_at: str(raw.created_at ?? raw.raised_at),
    updated_at: str(raw.updated_at ?? raw.created_at ?? raw.raised_at),
    escalation_due_at: strOrNull(raw.escalation_due_at),
    snoozed_until: strOrNull(raw.snoozed_until),
    resolved_at: strOrNull(raw.resolved_at),
    ticket_id: str(raw.ticket_id),
    history_count: num(raw.history_count),
  }
}

function list(value: unknown): Raw[] {
  return Array.isArray(value) ? value.map(asRecord) : []
}

// The filter values of a report count, as strings for a URL query.
function filterOf(value: unknown): Record<string, string> {
  const filter: Record<string, string> = {}
  for (const [key, item] of Object.entries(asRecord(value))) {
    if (item !== null && item !== undefined) filter[key] = String(item)
  }
  return filter
}

function countLink(value: unknown): CountLink {
  const raw = asRecord(value)
  return { count: num(raw.count), filter: filterOf(raw.filter) }
}

function ruleCount(value: unknown): RuleCount {
  const raw = asRecord(value)
  return { ...countLink(raw), pack_id: str(raw.pack_id), rule_id: str(raw.rule_id), name: str(raw.name ?? raw.rule_id) }
}

function tally(raw: Raw): HandlingTally {
  return {
    alerts: countLink(raw.alerts),
    open: countLink(raw.open),
    overdue: countLink(raw.overdue),
    acknowledged_within_sla: countLink(raw.acknowledged_within_sla),
    escalated_before_handling: num(raw.escalated_before_handling),
    pending: num(raw.pending),
    compliance_rate: numOrNull(raw.compliance_rate),
  }
}

export function normalizeBehaviourHealth(value: unknown): BehaviourHealthReport {
  const raw = asRecord(value)
  const definitions: Record<string, string> = {}
  for (const [key, text] of Object.entries(asRecord(raw.definitions))) definitions[key] = str(text)

  return {
    from: str(raw.from),
    to: str(raw.to),
    team_id: numOrNull(raw.team_id),
    time_zone: str(raw.time_zone, 'Asia/Shanghai'),
    alerts: countLink(raw.alerts),
    definitions,
    weeks: list(raw.weeks).map((week) => {
      const byLevel = asRecord(week.by_level)
      return {
        week: str(week.week),
        start: str(week.start),
        alerts: countLink(week.alerts),
        by_level: { yellow: countLink(byLevel.yellow), orange: countLink(byLevel.orange), red: countLink(byLevel.red) },
        by_rule: list(week.by_rule).map(ruleCount),
      }
    }),
    teams: list(raw.teams).map((team) => ({ ...tally(team), team_id: numOrNull(team.team_id), team_name: str(team.team_name) })),
    reps: list(raw.reps).map((rep) => ({
      ...tally(rep),
      user_id: numOrNull(rep.user_id),
      name: str(rep.name),
      team_id: numOrNull(rep.team_id),
      team_name: str(rep.team_name),
    })),
    top_rules_this_week: list(raw.top_rules_this_week).map((team) => ({
      team_id: numOrNull(team.team_id),
      team_name: str(team.team_name),
      week: str(team.week),
      rules: list(team.rules).map(ruleCount),
    })),
  }
}

// The pipeline report writes money as {fen, currency, formatted}; records use {amount_fen, currency}.
function reportMoney(value: unknown): Money {
  const raw = asRecord(value)
  return { amount_fen: num(raw.amount_fen ?? raw.fen), currency: str(raw.currency, 'CNY') }
}

function pipelineSummary(value: unknown): PipelineSummary {
  const raw = asRecord(value)
  const winRate = asRecord(raw.win_rate)
  const daysToClose = asRecord(raw.days_to_close)
  const won = num(raw.won)
  const lost = num(raw.lost)
  const closed = num(winRate.closed, won + lost)
  const closedWithDates = num(daysToClose.closed)

  return {
    key: str(raw.key),
    name: str(raw.name),
    opportunities: num(raw.opportunities),
    stages: list(raw.stages).map((stage) => ({
      stage: str(stage.stage),
      label: str(stage.label ?? stage.stage),
      count: num(stage.count),
      amounts: list(stage.amounts).map(reportMoney),
    })),
    won,
    lost,
    win_rate: closed > 0 ? num(winRate.won, won) / closed : null,
    closed_with_dates: closedWithDates,
    average_days_to_close: closedWithDates > 0 ? num(daysToClose.total_days) / closedWithDates : null,
    open: num(raw.open),
    stale: num(asRecord(raw.stale).count),
    won_below_list: num(asRecord(raw.won_below_list).count),
  }
}

export function normalizePipeline(value: unknown): PipelineReport {
  const raw = asRecord(value)
  return { as_of: str(raw.as_of), total: pipelineSummary(raw.total), groups: list(raw.groups).map(pipelineSummary) }
}

// Custom fields arrive as a {name: value} map; `labels` gives display names where known.
function normalizeCustomFields(value: unknown, labels: Record<string, string>): CustomFieldValue[] {
  return Object.entries(asRecord(value)).map(([name, fieldValue]) => ({
    name,
    label: labels[name] ?? name,
    type: fieldValue === null ? 'null' : Array.isArray(fieldValue) ? 'array' : typeof fieldValue,
    value: fieldValue,
  }))
}

export function normalizeOpportunity(value: unknown, labels: Record<string, string> = {}): Opportunity {
  const raw = asRecord(value)
  return {
    id: num(raw.id),
    external_id: str(raw.external_id),
    name: str(raw.name),
    stage: str(raw.stage),
    amount: normalizeMoney(raw.amount),
    owner_id: numOrNull(raw.owner_id),
    owner_name: str(raw.owner_name),
    account_id: numOrNull(raw.account_id),
    account_name: str(raw.account_name),
    product_id: numOrNull(raw.product_id),
    product_name: str(raw.product_name),
    engage_date: strOrNull(raw.engage_date),
    close_date: strOrNull(raw.close_date),
    custom_fields: normalizeCustomFields(raw.custom_fields, labels),
    updated_at: strOrNull(raw.updated_at),
  }
}

// One item of GET /api/v1/opportunities/{id}/timeline: an activity or a stage change.
export function normalizeTimelineEntry(value: unknown): TimelineEntry {
  const raw = asRecord(value)
  const activity = asRecord(raw.activity)
  const isStageChange = str(raw.kind) === 'stage_change'

  return {
    kind: isStageChange ? 'stage_change' : 'activity',
    at: str(raw.at ?? activity.occurred_at),
    title: isStageChange ? '' : str(activity.type),
    text: isStageChange ? '' : str(activity.subject_text),
    actor: isStageChange ? '' : str(activity.actor_name ?? activity.actor_id),
    level: null,
    alert_id: null,
    activity_type: isStageChange ? null : str(activity.type) || null,
    from_stage: strOrNull(raw.from_stage),
    to_stage: strOrNull(raw.to_stage),
  }
}
