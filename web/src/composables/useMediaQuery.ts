import { onBeforeUnmount, ref, type Ref } from 'vue'

// Returns a ref that follows window.matchMedia(query).
export function useMediaQuery(query: string): Ref<boolean> {
  const list = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia(query) : null
  const matches = ref(list?.matches ?? false)
  const update = (event: MediaQueryListEvent) => {
    matches.value = event.matches
  }
  list?.addEventListener('change', update)
  onBeforeUnmount(() => list?.removeEventListener('change', update))
  return matches
}

export const PHONE_QUERY = '(max-width: 768px)'
