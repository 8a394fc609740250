import { ref, shallowRef, type Ref } from 'vue'
import { ApiError } from '@/api/client'

export interface AsyncState<T> {
  data: Ref<T | null>
  loading: Ref<boolean>
  error: Ref<string | null>
  run: () => Promise<void>
}

// Wraps a loader in loading/error/data refs. A newer run wins over an older one still in flight,
// and the error text is the server's message when the server sent one.
export function useAsync<T>(loader: (signal: AbortSignal) => Promise<T>): AsyncState<T> {
  const data = shallowRef<T | null>(null) as Ref<T | null>
  const loading = ref(false)
  const error = ref<string | null>(null)
  let controller: AbortController | null = null

  async function run(): Promise<void> {
    controller?.abort()
    const current = new AbortController()
    controller = current
    loading.value = true
    error.value = null
    try {
      const result = await loader(current.signal)
      if (controller === current) data.value = result
    } catch (cause) {
      if (controller !== current || (cause instanceof DOMException && cause.name === 'AbortError')) return
      error.value = errorMessage(cause)
    } finally {
      if (controller === current) loading.value = false
    }
  }

  return { data, loading, error, run }
}

export function errorMessage(cause: unknown): string {
  if (cause instanceof ApiError) return cause.message
  if (cause instanceof Error) return cause.message
  return String(cause)
}
