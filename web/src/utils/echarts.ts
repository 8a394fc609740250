// ECharts with only the chart types and components the pages use, to keep the bundle small.
import * as echarts from 'echarts/core'
import { BarChart, FunnelChart, LineChart } from 'echarts/charts'
import { DatasetComponent, GridComponent, LegendComponent, TooltipComponent, TitleComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

echarts.use([BarChart, FunnelChart, LineChart, DatasetComponent, GridComponent, LegendComponent, TooltipComponent, TitleComponent, CanvasRenderer])

export { echarts }

export const LEVEL_COLORS = { yellow: '#e6a23c', orange: '#f56c2d', red: '#f56c6c' } as const
