// The pipeline filters as the page keeps them: ids as strings ("" = no filter) and an optional
// engage-date period of calendar days.
import type { Money, PipelineFilter, StageSummary } from '@/api/types'

export type GroupBy = 'none' | 'team' | 'region' | 'rep' | 'product'
export const GROUP_BY: GroupBy[] = ['none', 'team', 'region', 'rep', 'product']

export interface PipelineFilterState {
  team: string
  region: string
  rep: string
  product: string
  period: [string, string] | null
  by: GroupBy
}

export function toRequest(state: PipelineFilterState): PipelineFilter & { by?: string } {
  return {
    team: state.team || undefined,
    region: state.region || undefined,
    rep: state.rep || undefined,
    product: state.product || undefined,
    from: state.period?.[0],
    to: state.period?.[1],
    by: state.by === 'none' ? undefined : state.by,
  }
}

// Adds up the amounts of `stages`, one sum per currency, never converting between currencies.
export function sumAmounts(stages: StageSummary[]): Money[] {
  const sums = new Map<string, number>()
  for (const stage of stages) {
    for (const amount of stage.amounts) sums.set(amount.currency, (sums.get(amount.currency) ?? 0) + amount.amount_fen)
  }
  return [...sums].map(([currency, amount_fen]) => ({ amount_fen, currency }))
}

export const OPEN_STAGES = ['prospecting', 'engaging']
