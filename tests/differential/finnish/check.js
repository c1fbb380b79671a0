// The Finnish reference implementation for tests/differential/payments.py: reads a JSON
// object {"generate": [base, ...], "check": [reference, ...]} on stdin and writes
// {"generated": [...], "valid": [...]} with finnish-bank-utils' own routines.
const utils = require('finnish-bank-utils')
let input = ''
process.stdin.on('data', (d) => { input += d })
process.stdin.on('end', () => {
  const q = JSON.parse(input)
  process.stdout.write(JSON.stringify({
    generated: q.generate.map((b) => utils.generateFinnishRefNumber(b)),
    valid: q.check.map((r) => utils.isValidFinnishRefNumber(r))
  }))
})
