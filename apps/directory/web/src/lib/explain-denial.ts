export interface Explanation {
  reason: string
  back?: { route: string; label: string }
}

/** Why the server said no, from the route the user was on when it answered 403. */
export function explainDenial(route: string): Explanation {
  const reports = /^employees\/(\d+)\/reports$/.exec(route)
  if (reports !== null) {
    const back = { route: `employees/${reports[1]}`, label: 'Back to the employee' }
    return { reason: 'Direct reports are visible to administrators only.', back }
  }
  const edit = /^employees\/(\d+)\/edit$/.exec(route)
  if (edit !== null) {
    const back = { route: `employees/${edit[1]}`, label: 'Back to the employee' }
    return { reason: 'Only administrators can edit employees.', back }
  }
  return { reason: 'Your role does not allow this.' }
}
