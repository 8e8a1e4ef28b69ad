import type { EmployeeRepository } from './employees/employee-repository.ts'

/** [first, last, title, department, city, manager's row number (1-based) or 0]. Invented people. */
type SeedRow = readonly [string, string, string, string, string, number]

const PEOPLE: readonly SeedRow[] = [
  ['Amara', 'Okafor', 'Chief Executive Officer', 'Executive', 'Boston', 0],
  ['Daniel', 'Reyes', 'VP of Engineering', 'Engineering', 'Boston', 1],
  ['Ingrid', 'Solberg', 'VP of Sales', 'Sales', 'Toronto', 1],
  ['Kenji', 'Watanabe', 'VP of Finance', 'Finance', 'Boston', 1],
  ['Priya', 'Raman', 'VP of Marketing', 'Marketing', 'Lisbon', 1],
  ['Tomasz', 'Nowak', 'Engineering Manager', 'Engineering', 'Lisbon', 2],
  ['Lucia', 'Ferrante', 'QA Manager', 'Engineering', 'Boston', 2],
  ['Marcus', 'Bell', 'Regional Sales Manager', 'Sales', 'Toronto', 3],
  ['Hannah', 'Whitfield', 'Account Manager', 'Sales', 'Melbourne', 3],
  ['Olivia', 'Grant', 'Controller', 'Finance', 'Boston', 4],
  ['Rafael', 'Duarte', 'Content Manager', 'Marketing', 'Lisbon', 5],
  ['Anand', 'Iyer', 'Software Engineer', 'Engineering', 'Lisbon', 6],
  ['Zoe', 'Mitchell', 'Software Engineer', 'Engineering', 'Lisbon', 6],
  ['Felix', 'Bauer', 'Site Reliability Engineer', 'Engineering', 'Boston', 6],
  ['Naomi', 'Clarke', 'QA Engineer', 'Engineering', 'Boston', 7],
  ['Yusuf', 'Demir', 'Test Automation Engineer', 'Engineering', 'Boston', 7],
  ['Elena', 'Petrova', 'Sales Representative', 'Sales', 'Toronto', 8],
  ['Samuel', 'Osei', 'Sales Representative', 'Sales', 'Toronto', 8],
  ['Chloe', 'Tremblay', 'Customer Success Specialist', 'Sales', 'Melbourne', 9],
  ['Juan', 'Morales', 'Accountant', 'Finance', 'Boston', 10],
  ['Grace', 'Liu', 'Financial Analyst', 'Finance', 'Boston', 10],
  ['Isabel', 'Costa', 'Copywriter', 'Marketing', 'Lisbon', 11],
  ['Theo', 'Lindqvist', 'Designer', 'Marketing', 'Lisbon', 11],
  ['Mei', 'Tanaka', 'Marketing Analyst', 'Marketing', 'Melbourne', 11],
]

/** The number of employees `seedEmployees` creates. */
export const SEED_SIZE = PEOPLE.length

/**
 * Fills an empty employee table with a four-level org chart (the CEO first, so a fresh
 * database gives the CEO id 1). Does nothing when any employee exists; answers how many it added.
 */
export async function seedEmployees(repository: EmployeeRepository): Promise<number> {
  if ((await repository.count()) > 0) return 0
  const ids: number[] = []
  for (const [index, [firstName, lastName, title, department, city, manager]] of PEOPLE.entries()) {
    const number = String(index + 1).padStart(2, '0')
    const result = await repository.create({
      firstName,
      lastName,
      title,
      department,
      city,
      managerId: manager === 0 ? null : ids[manager - 1]!,
      // 555-01xx numbers are reserved for fiction; example.com for documentation.
      officePhone: `+1 617 555 01${number}`,
      cellPhone: `+1 617 555 02${number}`,
      email: `${firstName}.${lastName}@example.com`.toLowerCase(),
    })
    if (!result.ok) throw new Error(`seeding ${firstName} ${lastName} failed: ${result.reason}`)
    ids.push(result.employee.id)
  }
  return ids.length
}
