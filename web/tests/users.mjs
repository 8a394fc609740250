// Creates the rep and the manager the browser tests sign in as, in two different teams of the
// bundled CRM sample, and finds an opportunity that the rep must not see.
export const PASSWORD = 'Browser-Passw0rd!2026'

// Returns {rep, manager}, each {id, login, password, team, teamId}.
export async function createUsers(admin) {
  const units = (await admin.get('/org-units?limit=500')).items
  const teams = units.filter((unit) => unit.type === 'team')
  if (teams.length < 2) throw new Error(`the sample has ${teams.length} teams; the tests need two`)
  const [repTeam, managerTeam] = teams

  const manager = await admin.post('/users', {
    login: 'browser.manager',
    display_name: '测试经理',
    role: 'manager',
    org_unit_id: managerTeam.id,
    password: PASSWORD,
  })
  const rep = await admin.post('/users', {
    login: 'browser.rep',
    display_name: '测试销售',
    role: 'rep',
    org_unit_id: repTeam.id,
    password: PASSWORD,
  })
  return {
    rep: { id: rep.id, login: 'browser.rep', password: PASSWORD, team: repTeam.name, teamId: repTeam.id },
    manager: { id: manager.id, login: 'browser.manager', password: PASSWORD, team: managerTeam.name, teamId: managerTeam.id },
  }
}

// Returns {id, name, team} of an opportunity owned in a team other than the rep's.
export async function pickForeignOpportunity(admin, rep) {
  const units = (await admin.get('/org-units?limit=500')).items
  const other = units.find((unit) => unit.type === 'team' && unit.id !== rep.teamId)
  const page = await admin.get(`/opportunities?limit=5&org_unit_id=${other.id}`)
  const opportunity = page.items[0]
  if (!opportunity) throw new Error(`team ${other.name} has no opportunity`)
  // The sample's opportunities have no name, so their external id is what pages show.
  return { id: opportunity.id, name: opportunity.name ?? opportunity.external_id, team: other.name }
}
