// The live alert stream: GET /api/v1/stream (server-sent events, `event: alert`, data = alert JSON).
// EventSource retries by itself after a dropped connection but gives up after an HTTP error, so
// this wrapper reopens a closed source with a growing delay (1 s doubling up to 30 s).
import { API_BASE } from './client'

export type StreamState = 'connecting' | 'open' | 'offline'

export interface AlertStreamOptions {
  onAlert: (raw: unknown) => void
  onState?: (state: StreamState) => void
  url?: string
}

const MIN_DELAY_MS = 1000
const MAX_DELAY_MS = 30000

export class AlertStream {
  private source: EventSource | null = null
  private timer: ReturnType<typeof setTimeout> | null = null
  private delay = MIN_DELAY_MS
  private stopped = false
  private readonly options: AlertStreamOptions

  constructor(options: AlertStreamOptions) {
    this.options = options
  }

  start(): void {
    this.stopped = false
    this.open()
  }

  stop(): void {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.source?.close()
    this.source = null
  }

  private open(): void {
    if (this.stopped) return
    this.options.onState?.('connecting')
    const source = new EventSource(this.options.url ?? `${API_BASE}/stream`, { withCredentials: true })
    this.source = source

    source.onopen = () => {
      this.delay = MIN_DELAY_MS
      this.options.onState?.('open')
    }
    source.addEventListener('alert', (event) => this.deliver((event as MessageEvent).data))
    source.onerror = () => {
      this.options.onState?.('offline')
      if (source.readyState === EventSource.CLOSED) this.scheduleReopen()
    }
  }

  private deliver(data: string): void {
    try {
      this.options.onAlert(JSON.parse(data))
    } catch (error) {
      console.warn('alert stream: ignoring an event that is not JSON', error)
    }
  }

  private scheduleReopen(): void {
    this.source = null
    if (this.stopped || this.timer) return
    this.timer = setTimeout(() => {
      this.timer = null
      this.open()
    }, this.delay)
    this.delay = Math.min(this.delay * 2, MAX_DELAY_MS)
  }
}
