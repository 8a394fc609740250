// Every UI text must exist in both languages and use the same {placeholders}.
import { describe, expect, it } from 'vitest'
import zhCN from './zh-CN'
import en from './en'

type Tree = { [key: string]: string | Tree }

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const result = new Map<string, string>()
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key
    if (typeof value === 'string') result.set(path, value)
    else for (const [child, text] of flatten(value, path)) result.set(child, text)
  }
  return result
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort()
}

const zhKeys = flatten(zhCN as Tree)
const enKeys = flatten(en as Tree)

describe('locale files', () => {
  it('have every zh-CN key in en', () => {
    const missing = [...zhKeys.keys()].filter((key) => !enKeys.has(key))
    expect(missing).toEqual([])
  })

  it('have every en key in zh-CN', () => {
    const missing = [...enKeys.keys()].filter((key) => !zhKeys.has(key))
    expect(missing).toEqual([])
  })

  it('use the same placeholders', () => {
    const mismatched = [...zhKeys.entries()]
      .filter(([key, text]) => enKeys.has(key) && placeholders(text).join() !== placeholders(enKeys.get(key)!).join())
      .map(([key]) => key)
    expect(mismatched).toEqual([])
  })

  it('have no empty texts', () => {
    const empty = [...zhKeys.entries(), ...enKeys.entries()].filter(([, text]) => text.trim() === '').map(([key]) => key)
    expect(empty).toEqual([])
  })
})
