import { createApp } from 'vue'
import { createPinia } from 'pinia'
import 'element-plus/dist/index.css'
import './styles.css'
import App from './App.vue'
import { configureClient } from './api/client'
import { applyLocale, i18n, storedLocale } from './i18n'
import { router } from './router'
import { useSessionStore } from './stores/session'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
app.use(i18n)
app.use(router)

const session = useSessionStore(pinia)
applyLocale(storedLocale())
configureClient({
  locale: () => session.locale,
  csrfFallback: () => session.csrfToken,
  onUnauthenticated: () => {
    const current = router.currentRoute.value
    if (!session.signedIn || current.meta.public) return
    session.forget()
    router.push({ name: 'login', query: { redirect: current.fullPath, expired: '1' } })
  },
})

app.mount('#app')
