import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { draftFromRule, emptyDraft, fromYaml, localProblems, packWithRule, parsePack, ruleFromDraft, toYaml } from './ruleModel'

const packYaml = (name: string) => readFileSync(resolve(__dirname, '../../../../examples/rules', name), 'utf8')

describe('rule form model', () => {
  for (const file of ['b2b-default.yaml', 'bpi2012.yaml']) {
    it(`round-trips every rule of ${file}`, () => {
      const pack = parsePack(packYaml(file))
      expect(pack.rules.length).toBeGreaterThan(0)
      for (const rule of pack.rules) {
        expect(ruleFromDraft(draftFromRule(rule))).toEqual(rule)
      }
    })
  }

  it('keeps keys the form does not edit', () => {
    const rule = { ...parsePack(packYaml('b2b-default.yaml')).rules[0], calendar: 'cn', custom_key: 1 }
    expect(ruleFromDraft(draftFromRule(rule))).toMatchObject({ calendar: 'cn', custom_key: 1 })
  })

  it('writes one recipient list when only the first level has one', () => {
    const draft = emptyDraft()
    draft.recipients = { yellow: ['owner'], orange: [], red: [] }
    expect(ruleFromDraft(draft).recipients).toEqual(['owner'])
  })

  it('drops the sections of other kinds', () => {
    const draft = draftFromRule(parsePack(packYaml('b2b-default.yaml')).rules[0])
    draft.kind = 'condition'
    const rule = ruleFromDraft(draft)
    expect(rule.awaited).toBeUndefined()
    expect(rule.window).toBeUndefined()
  })

  it('replaces a rule of the same id in the next version', () => {
    const pack = parsePack(packYaml('b2b-default.yaml'))
    const changed = { ...pack.rules[0], level: 'red' }
    const next = parsePack(packWithRule(pack, changed, pack.version + 1))
    expect(next.version).toBe(pack.version + 1)
    expect(next.rules).toHaveLength(pack.rules.length)
    expect(next.rules[0].level).toBe('red')
  })

  it('appends a new rule', () => {
    const pack = parsePack(packYaml('b2b-default.yaml'))
    const next = parsePack(packWithRule(pack, { id: 'new-rule' }, 2))
    expect(next.rules.at(-1)?.id).toBe('new-rule')
  })

  it('reads its own YAML back', () => {
    const rule = parsePack(packYaml('b2b-default.yaml')).rules[2]
    expect(fromYaml(toYaml(rule))).toEqual(rule)
  })

  it('finds problems before the server does', () => {
    const draft = emptyDraft()
    draft.id = 'Bad Id'
    draft.window = '48 hours'
    expect(localProblems(draft)).toEqual(
      expect.arrayContaining(['rules.problemId', 'rules.problemName', 'rules.problemWindow', 'rules.problemMessage']),
    )
  })

  it('accepts a complete draft', () => {
    const draft = draftFromRule(parsePack(packYaml('b2b-default.yaml')).rules[0])
    expect(localProblems(draft)).toEqual([])
  })
})
