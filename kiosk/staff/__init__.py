"""Staff accounts, the install's keys, the audit chain and sealed access to submissions (issues 6 and 7).

Modules: `crypto` (sealing, wrapping), `vault` (setup, accounts, unlock, lockout,
recovery), `audit` (hash chain), `index` (search tokens), `settings_store`,
`data` (the console's unlocked view). Import them directly; this package
imports nothing so storage can use `crypto` without a cycle.
"""
