// The signed-in user, the CSRF token, the UI language and the time zone that times are shown in.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as endpoints from '@/api/endpoints'
import { ApiError } from '@/api/client'
import type { User } from '@/api/types'
import { applyLocale, storedLocale, type AppLocale } from '@/i18n'
import { DEFAULT_TIME_ZONE } from '@/utils/format'

const TIME_ZONE_STORAGE_KEY = 'salesradar.timeZone'

function storedTimeZone(): string | null {
  try {
    return localStorage.getItem(TIME_ZONE_STORAGE_KEY)
  } catch {
    return null
  }
}

function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

export const useSessionStore = defineStore('session', () => {
  const me = ref<User | null>(null)
  const csrfToken = ref<string | null>(null)
  const locale = ref<AppLocale>(storedLocale())
  const timeZoneOverride = ref<string | null>(storedTimeZone())
  const loaded = ref(false)

  // The user's own zone when the server gives one, else the one chosen in this browser, else Beijing time.
  const timeZone = computed(() => {
    const candidates = [me.value?.time_zone, timeZoneOverride.value, DEFAULT_TIME_ZONE]
    return candidates.find((zone): zone is string => !!zone && isValidTimeZone(zone)) ?? DEFAULT_TIME_ZONE
  })
  const signedIn = computed(() => me.value !== null)

  function setLocale(next: AppLocale): void {
    locale.value = next
    applyLocale(next)
  }

  function setTimeZone(zone: string | null): void {
    timeZoneOverride.value = zone
    try {
      if (zone) localStorage.setItem(TIME_ZONE_STORAGE_KEY, zone)
      else localStorage.removeItem(TIME_ZONE_STORAGE_KEY)
    } catch {
      // Storage may be unavailable, so the zone then lasts for this page only.
    }
  }

  async function signIn(login: string, password: string): Promise<void> {
    const result = await endpoints.signIn(login, password)
    me.value = result.user
    csrfToken.value = result.csrf_token || null
    loaded.value = true
  }

  // Loads the current user once per page load. A 401 means "not signed in", not an error.
  async function ensureLoaded(): Promise<void> {
    if (loaded.value) return
    try {
      const result = await endpoints.fetchMe()
      me.value = result.user
      csrfToken.value = result.csrf_token
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) throw error
      me.value = null
    }
    loaded.value = true
  }

  async function signOut(): Promise<void> {
    try {
      await endpoints.signOut()
    } finally {
      forget()
    }
  }

  // Drops the local session state, for sign-out and for a 401 from any request.
  function forget(): void {
    me.value = null
    csrfToken.value = null
    loaded.value = true
  }

  return { me, csrfToken, locale, timeZone, signedIn, loaded, setLocale, setTimeZone, signIn, ensureLoaded, signOut, forget }
})
