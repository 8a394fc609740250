import { describe, expect, it } from 'vitest'
import { ENTITY_FIELDS, mappingJson, normalizeJob } from './importApi'

describe('import mapping', () => {
  it('moves external_id out of the fields', () => {
    expect(mappingJson({ external_id: '商机编号', stage: '阶段', amount: '' })).toEqual({
      external_id: '商机编号',
      fields: { stage: '阶段' },
    })
  })

  it('writes only fields without an external id', () => {
    expect(mappingJson({ name: '客户名称' })).toEqual({ fields: { name: '客户名称' } })
  })

  it('marks the required fields of each entity', () => {
    const required = ENTITY_FIELDS.opportunity.filter((field) => field.required).map((field) => field.name)
    expect(required).toEqual(['stage'])
    expect(ENTITY_FIELDS.activity.filter((field) => field.required).map((field) => field.name)).toEqual(['type', 'occurred_at'])
  })

  it('reads a finished job with its totals and row errors', () => {
    const job = normalizeJob({
      id: 7,
      file_name: 'deals.csv',
      entity: 'opportunity',
      state: 'succeeded',
      header: ['商机编号', '阶段'],
      data_rows: 3,
      rows_total: 3,
      rows_done: 3,
      summary: { totals: { rows_read: 3, inserted: 2, rejected: 1 } },
      row_errors: [{ line: 4, column: '阶段', value: '??', message: 'unknown stage' }],
      row_errors_total: 1,
    })
    expect(job.state).toBe('succeeded')
    expect(job.header).toEqual(['商机编号', '阶段'])
    expect(job.totals).toEqual({ rows_read: 3, inserted: 2, rejected: 1 })
    expect(job.row_errors[0]).toEqual({ line: 4, column: '阶段', value: '??', message: 'unknown stage' })
  })
})
