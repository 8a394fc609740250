// The audit page's texts, merged into the app's messages under `audit`.
import { i18n } from '@/i18n'

const zhCN = {
  title: '审计日志',
  intro: '每一次写操作都记录在这里；每条记录带有上一条的哈希，篡改可以被 salesradar audit verify 发现。',
  id: '序号',
  at: '时间',
  actor: '操作人',
  action: '操作',
  entity: '对象',
  requestId: '请求 ID',
  changes: '变更',
  before: '修改前',
  after: '修改后',
  hash: '哈希',
  filterAfterId: '从序号之后',
  filterActor: '操作人',
  filterAction: '操作',
  filterEntity: '对象类型',
  filterFrom: '开始时间',
  filterTo: '结束时间',
  empty: '没有符合条件的审计记录',
  details: '详情',
  loaded: '已加载 {count} 条',
}

const en: typeof zhCN = {
  title: 'Audit log',
  intro: 'Every write is recorded here; each entry carries the hash of the one before, so salesradar audit verify detects tampering.',
  id: 'No.',
  at: 'Time',
  actor: 'Actor',
  action: 'Action',
  entity: 'Entity',
  requestId: 'Request ID',
  changes: 'Changes',
  before: 'Before',
  after: 'After',
  hash: 'Hash',
  filterAfterId: 'After entry No.',
  filterActor: 'Actor',
  filterAction: 'Action',
  filterEntity: 'Entity type',
  filterFrom: 'From',
  filterTo: 'To',
  empty: 'No audit entries match',
  details: 'Details',
  loaded: '{count} entries loaded',
}

i18n.global.mergeLocaleMessage('zh-CN', { audit: zhCN })
i18n.global.mergeLocaleMessage('en', { audit: en })
